/// One thing wrong with a configuration: where it is (the file, or the environment variable, that holds it),
/// the key it concerns (`listen.peer.port`, `peers[1].url`), the line in the file when known, and what is
/// wrong. `tongband --check-config` prints every problem, not just the first.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public let key: String
    public let line: Int?
    public let message: String
    /// The file the problem is in, or `environment variable TONGBAN_…`; nil for the configuration file itself,
    /// which its reader names (`located(in:)`).
    public let source: String?

    public init(key: String, line: Int? = nil, message: String, source: String? = nil) {
        self.key = key
        self.line = line
        self.message = message
        self.source = source
    }

    /// The problem without its source: `line 50: resources[2].name: …`.
    public var description: String {
        if let line { return "line \(line): \(key): \(message)" }
        return "\(key): \(message)"
    }

    /// The problem with where it is: its own source, or `configFile` when it has none.
    public func located(in configFile: String) -> String {
        (source ?? configFile) + ": " + description
    }
}
