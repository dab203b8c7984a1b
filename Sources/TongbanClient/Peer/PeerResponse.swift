import Foundation

/// A peer's answer whose digest and signature were verified, bound to the request that asked.
public struct PeerResponse: Sendable {
    public let status: Int
    /// The decoded body.
    public let body: Data
    /// The body's size as it crossed the wire (after content coding).
    public let wireBytes: Int
    public let requestID: String
    /// `Signature-Input` and `Signature` of the request and the response, for the audit record.
    public let requestSignature: String
    public let responseSignature: String
}
