/// A demo federation that cannot be brought up or down, with the reason for the user.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
