import Foundation
import Logging
import TongbanCore

/// One log line per event on stderr. Under systemd (`JOURNAL_STREAM` set) lines start with the syslog
/// priority (`<6>`) and carry no timestamp, since journald adds both; elsewhere they start with an
/// ISO 8601 time. `json` writes one JSON object per line for log pipelines.
public struct GatewayLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, journal, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let format: Format

    public init(label: String, format: Format, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    /// `journal` when stderr is connected to the journal, else `text`.
    public static func defaultFormat(environment: [String: String] = ProcessInfo.processInfo.environment) -> Format {
        environment["JOURNAL_STREAM"] != nil ? .journal : .text
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let line: String
        switch format {
        case .json:
            var object: [String: String] = ["level": event.level.rawValue, "message": "\(event.message)", "logger": label,
                                            "time": ISO8601.string(Date())]
            for (key, value) in all { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        case .journal:
            line = "<\(Self.priority(event.level))>\(Self.escaped("\(event.message)"))\(Self.render(all))"
        case .text:
            line = "\(ISO8601.string(Date())) \(event.level.rawValue.uppercased()) \(Self.escaped("\(event.message)"))\(Self.render(all))"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func render(_ metadata: Logger.Metadata) -> String {
        metadata.isEmpty ? "" : " " + metadata.sorted { $0.key < $1.key }.map { escaped("\($0.key)=\($0.value)") }.joined(separator: " ")
    }

    /// The text with every control character written as an escape (`\n`, `\u{1B}`), so that no value — a
    /// peer's text among them — can start a line of its own or drive a terminal: one event, one line.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 and C1 controls, DEL, and the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// syslog priorities as journald reads them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
