/// What is wrong with a manifest, or with an authority command's input: the field (`members[2].urls[0]`) and why.
public struct ManifestProblem: Sendable, Equatable, CustomStringConvertible, Error {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
