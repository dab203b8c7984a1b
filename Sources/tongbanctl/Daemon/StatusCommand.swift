import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl status`: the local daemon's state over the admin socket.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the local daemon's status.")

    @OptionGroup var socket: SocketOption
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let status: StatusDocument
        do { status = try await socket.client.get("/v1/status", as: StatusDocument.self) } catch { throw Console.fail(error) }
        if json { return try Console.json(status) }
        print("province   \(status.province) \(status.name)")
        print("version    \(status.version)")
        print("ready      \(status.ready ? "yes" : "no")   uptime \(Int(status.uptimeSeconds)) s   store \(status.store)   peers \(status.peers)")
        if let federation = status.federation {
            print("federation \(federation.federation) serial \(federation.serial) (\(federation.state); expires \(Console.date(federation.expiresAt)); "
                  + "from \(federation.source))")
        }
        Console.table(["LISTENER", "ADDRESS", "UP"], status.listeners.map { [$0.name, $0.address, $0.up ? "yes" : "no"] })
        Console.table(["CERTIFICATE", "SUBJECT", "EXPIRES", "KEY ID"],
                      status.certificates.map { [$0.usage, $0.subject, Console.date($0.notAfter), String($0.keyId.prefix(16))] })
        for warning in status.warnings { print("WARNING: \(warning)") }
    }
}
