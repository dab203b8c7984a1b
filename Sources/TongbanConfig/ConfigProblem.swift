/// One thing wrong with a configuration: the key it concerns (`listen.peer.port`, `peers[1].url`), the line in
/// the file when known, and what is wrong. `tongband --check-config` prints every problem, not just the first.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public let key: String
    public let line: Int?
    public let message: String

    public init(key: String, line: Int? = nil, message: String) {
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "line \(line): \(key): \(message)" }
        return "\(key): \(message)"
    }
}
