import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl audit verify|tail|show|export`: the tamper-evident record of every exchange.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log of exchanges, both directions.",
                                                    subcommands: [Verify.self, Tail.self, Show.self, Export.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Walk the hash chain; name the first broken entry (exit 1 if any).")
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print the result as JSON ({ok, entries, firstBroken, reason, segments}).") var json = false

        func run() async throws {
            Console.jsonErrors = json
            let result: AuditVerification
            do { result = try await socket.client.get("/v1/audit/verify", as: AuditVerification.self) } catch { throw Console.fail(error) }
            if json {
                try Console.json(result)
                if !result.ok { throw ExitCode(1) }
            } else if result.ok {
                let segments = (result.segments ?? []).map { "\($0.algorithm) \($0.first)–\($0.last)" }
                print("audit chain intact: \(result.entries) entries" + (segments.count > 1 ? " (segments: \(segments.joined(separator: ", ")))" : ""))
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
        static let configuration = CommandConfiguration(abstract: "The entries of one request id, as JSON (both directions).")
        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON (the default and only format; accepted so scripts can say it).") var json = false
        @Argument(help: "The request id (a UUID, as audit tail and the answer of query or verify show it).") var requestId: String

        func run() async throws {
            Console.jsonErrors = json
            let entries: [AuditEntry]
            do { entries = try await socket.client.get("/v1/audit?request=\(requestId)", as: [AuditEntry].self) } catch { throw Console.fail(error) }
            guard !entries.isEmpty else { throw Console.fail(TongbanError(.notFound, "no audit entry for request \(requestId)")) }
            try Console.json(entries)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Entries as JSON Lines, for supervisors.",
            discussion: """
            --since and --until take an RFC 3339 time (2026-01-01T00:00:00Z, 2026-01-01T08:00:00+08:00) or a date \
            (2026-01-01), which is the start of that day in Beijing time. --since is inclusive, --until exclusive: \
            --since 2026-01-01 --until 2026-02-01 is January in Beijing time. Anything else is refused (exit 1).
            """)
        @OptionGroup var socket: SocketOption
        @Option(name: .long, help: "Start, inclusive: an RFC 3339 time or a date (Beijing time).") var since: String?
        @Option(name: .long, help: "End, exclusive: an RFC 3339 time or a date (Beijing time).") var until: String?
        @Option(name: .long, help: "in (peers asked this province) or out (this province asked).") var direction: String?

        @Flag(name: .long, help: "Errors as JSON problem documents (the entries are JSON Lines anyway).") var json = false

        func run() async throws {
            Console.jsonErrors = json
            let filter: AuditQuery
            do { filter = try AuditQuery(since: since, until: until, direction: direction) } catch { throw Console.fail(error) }
            let query = filter.queryItems
            let entries: [AuditEntry]
            do { entries = try await socket.client.get("/v1/audit" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), as: [AuditEntry].self) } catch { throw Console.fail(error) }
            let encoder = JSONCoding.encoder()
            for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
        }
    }
}
