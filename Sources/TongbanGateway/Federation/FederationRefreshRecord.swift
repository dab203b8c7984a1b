import Foundation

/// When the manifest's sources were last asked and will be next, and the last refusal: for the status.
struct FederationRefreshRecord: Sendable {
    var lastCheck: Date?
    var nextRefresh: Date?
    var lastRefusal: String?
    var lastRefusalAt: Date?
}
