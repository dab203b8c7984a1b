import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl drain`: the first step of taking a replica out of a load-balanced province (a rolling upgrade):
/// its `/healthz` answers 503 from now on, so the load balancer stops sending it new connections, while it goes on
/// answering the ones it has. Then stop it (`systemctl stop tongband`, which drains what is left).
struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Mark this replica as draining: /healthz answers 503, so the load balancer sends it no new connections.")

    @OptionGroup var socket: SocketOption
    @Option(name: .long, help: "Seconds to wait before returning, for the load balancer's health checks to notice (its fall × inter).")
    var wait: Int = 0

    func run() async throws {
        do { _ = try await socket.client.post("/v1/drain", body: Data(), as: [String: String].self) } catch {
            throw Console.fail(error)
        }
        print("draining: /healthz now answers 503; the load balancer stops sending new connections after its next failed checks")
        if wait > 0 {
            try await Task.sleep(for: .seconds(wait))
            print("waited \(wait) s: stop the daemon now (systemctl stop tongband); it finishes the requests it has")
        }
    }
}
