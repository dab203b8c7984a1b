import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl import --resource CODE FILE`: load records through the daemon, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import records (CSV with a header row, or JSON Lines) into a resource; any error changes nothing.")

    @OptionGroup var socket: SocketOption
    @Option(name: .long, help: "Resource code (信息资源代码) from the directory.") var resource: String
    @Option(name: .long, help: "csv or jsonl (default: from the file name).") var format: String?
    @Flag(name: .long, help: "Print the report as JSON.") var json = false
    @Argument(help: "The file to import.") var file: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Console.fail(TongbanError(.notFound, "\(file): no such file or not readable"))
        }
        let chosen = format ?? (file.hasSuffix(".jsonl") || file.hasSuffix(".ndjson") ? "jsonl" : "csv")
        guard ["csv", "jsonl"].contains(chosen) else { throw Console.fail(TongbanError(.requestInvalid, "--format must be csv or jsonl")) }
        if isatty(2) == 1, data.count > 4 * 1024 * 1024 {
            FileHandle.standardError.write(Data("importing \(data.count / (1024 * 1024)) MiB into \(resource): sending, validating every row…\n".utf8))
        }
        let report: ImportReport
        do {
            report = try await socket.client.post("/v1/import?resource=\(resource)&format=\(chosen)", body: data, as: ImportReport.self)
        } catch { throw Console.fail(error) }
        if json { try Console.json(report) }
        guard report.ok else {
            if !json {
                for issue in report.errors { Console.error("\(file):\(issue)") }
                let more = report.errorCount > report.errors.count ? " (first \(report.errors.count) shown)" : ""
                let stopped = report.stoppedAt.map { "; reading stopped at line \($0)" } ?? ""
                Console.error("\(file): \(report.errorCount) error(s)\(more) in \(report.rows) rows\(stopped); nothing was imported")
            }
            throw ExitCode(1)
        }
        if !json {
            // Each rewritten number by line and field, so the operator can check it against the file.
            for conversion in report.conversions { Console.error("\(file):\(conversion)") }
            print("imported \(file) into \(report.resource): rows \(report.rows), inserted \(report.inserted), updated \(report.updated), "
                  + "unchanged \(report.unchanged), converted \(report.converted), \(String(format: "%.2f", report.seconds)) s")
        }
    }
}
