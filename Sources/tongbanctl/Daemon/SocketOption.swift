import ArgumentParser
import Foundation
import TongbanClient

/// `--socket`: which daemon to ask; `$TONGBANCTL_SOCKET` or `/run/tongban/admin.sock` by default.
struct SocketOption: ParsableArguments {
    @Option(name: .long, help: "The daemon's admin socket (default $TONGBANCTL_SOCKET or /run/tongban/admin.sock).")
    var socket: String = ProcessInfo.processInfo.environment["TONGBANCTL_SOCKET"] ?? AdminClient.defaultSocket

    var client: AdminClient { AdminClient(socketPath: socket) }
}
