import ArgumentParser
import Foundation
import TongbanCore

/// How the CLI talks to its user: tables and JSON on stdout, errors on stderr with a non-zero exit.
///
/// With `--json`, an error is an RFC 9457 problem document on stderr, on one line (`code`, `status`, `detail`),
/// and stdout stays empty; the exit code is the same as without it (docs/operations.md, "Scripting").
enum Console {
    /// Set by a command run with `--json`: errors are written as problem documents.
    nonisolated(unsafe) static var jsonErrors = false

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("tongbanctl: \(message)\n".utf8))
    }

    /// A warning on stderr: the command still did what was asked, but the user must know its limits.
    static func warning(_ message: String) {
        error("warning: \(message)")
    }

    /// Prints `error` and returns the exit code to throw.
    static func fail(_ error: any Error) -> ExitCode {
        let failure = error as? TongbanError ?? TongbanError(.internalError, "\(error)")
        if jsonErrors {
            let problem = Problem(failure.code, detail: failure.message)
            let data = (try? JSONCoding.encoder(pretty: false).encode(problem)) ?? Data()
            FileHandle.standardError.write(data + Data("\n".utf8))
        } else if error is TongbanError {
            self.error("\(failure.message) [\(failure.code)]")
        } else {
            self.error("\(error)")
        }
        return ExitCode(1)
    }

    static func json<T: Encodable>(_ value: T) throws {
        let data = try JSONCoding.encoder(pretty: true).encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// A plain-text table with columns padded to their widest cell (East Asian characters count double).
    static func table(_ header: [String], _ rows: [[String]], header showHeader: Bool = true) {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) } }
        for row in showHeader ? all : rows {
            let line = row.enumerated().map { i, cell in
                cell + String(repeating: " ", count: widths[i] - displayWidth(cell))
            }.joined(separator: "  ")
            print(line.trimmingCharacters(in: .whitespaces))
        }
    }

    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xFFDC).contains($1.value)) ? 2 : 1) }
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return ISO8601DateFormatter().string(from: date)
    }
}
