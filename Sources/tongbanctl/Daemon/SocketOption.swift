import ArgumentParser
import Foundation
import TongbanClient

/// `--socket`: which daemon to ask; `$TONGBANCTL_SOCKET` or `/run/tongban/admin.sock` by default. Optional, so
/// that the help states the default once, in words, instead of adding the value it resolved to.
struct SocketOption: ParsableArguments {
    @Option(name: .long, help: "The daemon's admin socket (default $TONGBANCTL_SOCKET or \(AdminClient.defaultSocket)).")
    var socket: String?

    var path: String { socket ?? ProcessInfo.processInfo.environment["TONGBANCTL_SOCKET"] ?? AdminClient.defaultSocket }
    var client: AdminClient { AdminClient(socketPath: path) }
}
