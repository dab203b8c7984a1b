import Foundation

/// `DIR/federation.json`: everything a user or test needs to talk to a demo federation.
struct FederationDocument: Codable {
    struct Province: Codable {
        var code: String
        var name: String
        var peerURL: String
        var localURL: String
        var adminSocket: String
        var config: String
        var tlsCertificate: String
        var tlsKey: String
        var signingCertificate: String
        var signingKey: String
        var rootCA: String
        var stateDirectory: String
        var log: String
        var pid: Int32
        var catalogue: String
        /// Per resource code, five subject keys present in this province's store, to try queries at once.
        var samples: [String: [String]]
    }

    var createdAt: Date
    var rootCA: String
    var provinces: [Province]
}
