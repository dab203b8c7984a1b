import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl peers list`: every other member of the federation as the daemon reaches it now, with its status
/// in the manifest.
struct PeersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peers", abstract: "Peer provinces.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probe each member of the federation: its status in the manifest, reachable, province in its TLS certificate, expiry, round-trip time.",
            discussion: "Suspended members are listed, not probed. Exit status: 0 when every active member answered, 2 when one or more did not (the table or JSON is printed either way), 1 when the daemon could not be asked.")

        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            Console.jsonErrors = json
            let peers: [PeerStatus]
            do { peers = try await socket.client.get("/v1/peers", as: [PeerStatus].self) } catch { throw Console.fail(error) }
            if json {
                try Console.json(peers)
            } else {
                show(peers)
            }
            if peers.contains(where: { !$0.reachable && $0.member != "suspended" }) {
                fflush(nil)
                throw ExitCode(2)
            }
        }

        func show(_ peers: [PeerStatus]) {
            Console.table(
                ["PEER", "NAME", "MEMBER", "URL", "REACHABLE", "CIRCUIT", "TLS PROVINCE", "CERT EXPIRES", "SIGNING KEY", "ALG", "RTT ms", "ERROR"],
                peers.map { p in
                    [p.code, p.name, p.member ?? "-", p.url, p.reachable ? "yes" : "no", Self.circuit(p), p.certificateProvince ?? "-", Console.date(p.certificateNotAfter),
                     p.signingKeyId.map { String($0.prefix(16)) } ?? "-", p.signingAlgorithm ?? "-",
                     p.roundTripMilliseconds.map { String(format: "%.1f", $0) } ?? "-", p.error ?? ""]
                })
        }

        /// `closed`, or the state with the failures in a row behind it (`open (5 failures)`).
        static func circuit(_ p: PeerStatus) -> String {
            guard let state = p.circuit else { return "-" }
            guard state != "closed" || (p.consecutiveFailures ?? 0) > 0 else { return state }
            return "\(state) (\(p.consecutiveFailures ?? 0) failures)"
        }
    }
}
