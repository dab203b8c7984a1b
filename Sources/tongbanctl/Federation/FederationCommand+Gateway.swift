import ArgumentParser
import Foundation
import TongbanClient
import TongbanCore

extension FederationCommand {
    /// `tongbanctl federation status`: the manifest the local gateway runs on, where it came from, and its refreshes.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the manifest the local gateway runs on: serial, age, source, expiry, next refresh, last refusal.")

        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let status: FederationStatus
            do { status = try await socket.client.get("/v1/federation", as: FederationStatus.self) } catch { throw Console.fail(error) }
            if json { return try Console.json(status) }
            let age = Int(Date().timeIntervalSince(status.issuedAt))
            print("federation  \(status.federation)   serial \(status.serial)   state \(status.state)")
            print("issued      \(Console.date(status.issuedAt)) (\(age / 3600) h \(age % 3600 / 60) min ago)   expires \(Console.date(status.expiresAt))")
            print("source      \(status.source)   applied \(Console.date(status.appliedAt))")
            print("members     \(status.members)   suspended \(status.suspended.isEmpty ? "none" : status.suspended.joined(separator: ","))   "
                  + "revocations \(status.revocations)   matters \(status.matters)")
            print("last check  \(status.lastCheck.map(Console.date) ?? "none yet")   next refresh \(status.nextRefresh.map(Console.date) ?? "?")")
            if let refusal = status.lastRefusal {
                print("last refusal \(status.lastRefusalAt.map(Console.date) ?? ""): \(refusal)")
            }
            // Not in force any more: scripts and monitoring see a non-zero exit.
            if status.state == "expired" { throw ExitCode(2) }
        }
    }

    /// `tongbanctl federation refresh`: asks the local gateway to fetch and apply the manifest now.
    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the local gateway ask the hub, its file and (if need be) its peers for a newer manifest now.")

        @OptionGroup var socket: SocketOption
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let report: FederationRefreshReport
            do { report = try await socket.client.post("/v1/federation/refresh", body: Data(), as: FederationRefreshReport.self) } catch {
                throw Console.fail(error)
            }
            if json { try Console.json(report) } else {
                print("\(report.outcome): serial \(report.serial)\(report.source.map { " from \($0)" } ?? "")")
                for problem in report.problems { print("  \(problem)") }
            }
            if report.outcome == "refused" || report.outcome == "unreachable" { throw ExitCode(1) }
        }
    }
}
