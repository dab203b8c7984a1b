import ArgumentParser
import Foundation
import Logging
import TongbanCore
import TongbanPostgres
import TongbanStore

/// `tongbanctl store migrate --from sqlite:DIR --to postgresql://…`: copies a single-machine province's state into
/// PostgreSQL, then checks the copy: the counts of every table, and the audit chain walked and re-hashed at the
/// destination. Runs again where it stopped (every step is idempotent; the audit continues after the destination's
/// last entry). Exits 1 when the check finds a difference.
struct StoreMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite state directory into a PostgreSQL database and check the copy; run it again to resume or catch up.",
        discussion: """
            Copy while the daemon runs, then stop it (or drain it), run the migration again for what came since, and \
            start the replicas with store.kind: postgresql. The destination must be empty or hold an earlier run's copy \
            of the same state: a database holding another audit chain is refused, changing nothing.
            """)

    @Option(name: .long, help: "The SQLite state: sqlite:DIRECTORY (the daemon's state.directory).") var from: String
    @Option(name: .long, help: "The PostgreSQL database: postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=…].") var to: String
    @Option(name: .long, help: "A file holding the database password (instead of one in the URL).") var passwordFile: String?
    @Option(name: .long, help: "PEM roots for sslmode=verify-full.") var caFile: String?
    @Flag(name: .long, help: "Print the report as JSON.") var json = false

    func run() async throws {
        Console.jsonErrors = json
        guard from.hasPrefix("sqlite:") else { throw Console.fail(TongbanError(.configInvalid, "--from must be sqlite:DIRECTORY, not \(from)")) }
        let directory = String(from.dropFirst("sqlite:".count))
        guard FileManager.default.fileExists(atPath: directory + "/" + StateStore.fileName) else {
            throw Console.fail(TongbanError(.configInvalid, "--from: no SQLite store in \(directory) (no \(StateStore.fileName))"))
        }
        let report: StoreMigrationReport
        do {
            let source = try StateStore(directory: directory)
            var logger = Logger(label: "tongbanctl.store")
            logger.logLevel = .warning
            let destination = try await PostgresStore(settings: PostgresSettings(url: to, passwordFile: passwordFile, caFile: caFile), logger: logger)
            var migration = StoreMigration(source: source, destination: destination)
            let interactive = isatty(STDERR_FILENO) == 1 && !json
            migration.progress = { line in if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8)) } }
            do {
                report = try await migration.run()
            } catch {
                await destination.close()
                await source.close()
                throw error
            }
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            await destination.close()
            await source.close()
        } catch {
            throw Console.fail(error)
        }
        if json {
            try Console.json(report)
        } else {
            let records = report.records.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("records: \(records.isEmpty ? "none" : records)")
            print("tables: " + report.tables.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print("audit: \(report.auditCopied) entries appended by this run; chain of \(report.chain.entries) entries "
                  + (report.chain.ok ? "verified at the destination" : "BROKEN at entry \(report.chain.firstBroken ?? 0): \(report.chain.reason ?? "")"))
            for mismatch in report.mismatches { FileHandle.standardError.write(Data("error: \(mismatch)\n".utf8)) }
            print(report.ok ? "migrated: the PostgreSQL store holds the same state; start the replicas with store.kind: postgresql"
                            : "the copy differs from the source: run the migration again (the daemon must be stopped for the last run)")
        }
        if !report.ok { throw ExitCode(1) }
    }
}
