import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl audit verify|tail|show|export`: the tamper-evident record of every exchange.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log of exchanges, both directions.",
                                                    subcommands: [Verify.self, Tail.self, Show.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Walk the hash chain; name the first broken entry.")
        @OptionGroup var socket: SocketOption

        func run() async throws {
            let result: AuditVerification
            do { result = try await socket.client.get("/v1/audit/verify", as: AuditVerification.self) } catch { throw Console.fail(error) }
            if result.ok {
                print("audit chain intact: \(result.entries) entries")
            } else {
                Console.error("audit chain broken at entry \(result.firstBroken ?? 0): \(result.reason ?? "")")
                throw ExitCode(1)
            }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest entries.")
        @OptionGroup var socket: SocketOption
        @Option(name: .short, help: "How many.") var n = 20
        @Flag(name: .long, help: "Print JSON.") var json = false
        @Flag(name: [.customShort("f"), .long], help: "Keep printing new entries as they are written (Ctrl-C stops).") var follow = false

        func run() async throws {
            var entries: [AuditEntry]
            do { entries = try await socket.client.get("/v1/audit?last=\(n)", as: [AuditEntry].self) } catch { throw Console.fail(error) }
            if json { try Console.json(entries) } else { show(entries) }
            guard follow else { return }
            var last = entries.last?.sequence ?? 0
            while true {
                try await Task.sleep(for: .seconds(1))
                do { entries = try await socket.client.get("/v1/audit?last=200", as: [AuditEntry].self).filter { $0.sequence > last } } catch { throw Console.fail(error) }
                guard !entries.isEmpty else { continue }
                last = entries.last!.sequence
                if json { for entry in entries { print(String(decoding: try JSONCoding.encoder().encode(entry), as: UTF8.self)) } } else { show(entries, header: false) }
                fflush(nil)
            }
        }

        func show(_ entries: [AuditEntry], header: Bool = true) {
            Console.table(["SEQ", "TIME", "DIR", "PEER", "ENDPOINT", "MATTER", "RESOURCE", "SUBJECTS", "DECISION", "REASON", "STATUS", "REQUEST ID"], entries.map {
                [String($0.sequence), Console.date($0.time), $0.direction.rawValue, $0.peer, $0.endpoint, $0.matter, $0.resource, String($0.subjectCount),
                 $0.decision, $0.reasonCode, String($0.status), $0.requestId]
            }, header: header)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The entries of one request id.")
        @OptionGroup var socket: SocketOption
        @Argument(help: "The request id (a UUID, as audit tail and the answer of query or verify show it).") var requestId: String

        func run() async throws {
            let entries: [AuditEntry]
            do { entries = try await socket.client.get("/v1/audit?request=\(requestId)", as: [AuditEntry].self) } catch { throw Console.fail(error) }
            guard !entries.isEmpty else { throw Console.fail(TongbanError(.notFound, "no audit entry for request \(requestId)")) }
            try Console.json(entries)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries as JSON Lines, for supervisors.")
        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "ISO 8601 start (inclusive).") var since: String?
        @Option(name: .long, help: "ISO 8601 end (exclusive).") var until: String?
        @Option(name: .long, help: "in or out.") var direction: String?

        func run() async throws {
            var query: [String] = []
            if let since { query.append("since=\(since)") }
            if let until { query.append("until=\(until)") }
            if let direction { query.append("direction=\(direction)") }
            let entries: [AuditEntry]
            do { entries = try await socket.client.get("/v1/audit" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), as: [AuditEntry].self) } catch { throw Console.fail(error) }
            let encoder = JSONCoding.encoder()
            for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
        }
    }
}
