/// The protocol settings every gateway of the federation applies alike (they were per-gateway `signatures:`).
public struct FederationProtocolSettings: Codable, Sendable, Equatable {
    /// How old a request's signature (`created`) may be.
    public var signatureWindowSeconds: Int
    /// How far ahead of the receiving gateway's clock a `created` may be.
    public var clockSkewSeconds: Int

    public static let windowRange = 10...3600
    public static let skewRange = 0...300

    public init(signatureWindowSeconds: Int = 300, clockSkewSeconds: Int = 30) {
        self.signatureWindowSeconds = signatureWindowSeconds
        self.clockSkewSeconds = clockSkewSeconds
    }
}
