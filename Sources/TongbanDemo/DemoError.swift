/// A demo federation that cannot be brought up or down, with the reason for the user.
public struct DemoError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
