import Foundation

public struct VerifyResponse: Codable, Sendable, Equatable {
    public var subject: String
    /// Field → whether the claim matches the record; false too when the subject is unknown.
    public var results: [String: Bool]
    public var found: Bool

    public init(subject: String, results: [String: Bool], found: Bool) {
        self.subject = subject
        self.results = results
        self.found = found
    }
}
