import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

/// `tongbanctl reload`: the same reload as SIGHUP, with its outcome printed. Exits 1 when the new
/// configuration was refused (the old one stays in force).
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Reload the daemon's configuration, directory, matters, departments, peers, certificates and keys.")

    @OptionGroup var socket: SocketOption
    @Flag(name: .long, help: "Print JSON.") var json = false

    func run() async throws {
        let report: ReloadReport
        do { report = try await socket.client.post("/v1/reload", body: Data(), as: ReloadReport.self, timeoutSeconds: 60) } catch {
            throw Console.fail(error)
        }
        if json {
            try Console.json(report)
        } else if report.applied {
            print(report.changes.isEmpty ? "reloaded: nothing changed" : "reloaded: " + report.changes.joined(separator: "; "))
        } else {
            for problem in report.problems { FileHandle.standardError.write(Data("error: \(problem)\n".utf8)) }
            FileHandle.standardError.write(Data("reload refused: the previous configuration stays in force\n".utf8))
        }
        if !report.applied { throw ExitCode(1) }
    }
}
