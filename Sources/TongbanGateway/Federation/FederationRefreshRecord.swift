import Foundation

/// When the manifest's sources were last asked and will be next, and the last refusal: for the status.
struct FederationRefreshRecord: Sendable {
    var lastCheck: Date?
    var nextRefresh: Date?
    var lastRefusal: String?
    var lastRefusalAt: Date?
    /// The highest serial each source (`hub URL`, `file PATH`) has given: a source going below what it gave before
    /// is a rollback; one that has simply never had anything newer (a bootstrap copy) is not.
    var highestBySource: [String: Int] = [:]
}
