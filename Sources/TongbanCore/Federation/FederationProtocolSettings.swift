/// The protocol settings every gateway of the federation applies alike (they were per-gateway `signatures:`).
public struct FederationProtocolSettings: Codable, Sendable, Equatable {
    /// How old a request's signature (`created`) may be.
    public var signatureWindowSeconds: Int
    /// How far ahead of the receiving gateway's clock a `created` may be.
    public var clockSkewSeconds: Int
    /// The SM2 distinguishing ID (GM/T 0009 `ID_A`, hashed into every `sm2-sm3` signature) of the federation;
    /// absent: `1234567812345678`, GM/T 0009's default. Printable ASCII, 1 to 64 characters.
    public var sm2DistinguishingID: String?

    public static let defaultSM2DistinguishingID = "1234567812345678"
    /// The ID in force: `sm2DistinguishingID`, or the default.
    public var sm2ID: String { sm2DistinguishingID ?? Self.defaultSM2DistinguishingID }

    public static let windowRange = 10...3600
    public static let skewRange = 0...300

    public init(signatureWindowSeconds: Int = 300, clockSkewSeconds: Int = 30, sm2DistinguishingID: String? = nil) {
        self.signatureWindowSeconds = signatureWindowSeconds
        self.clockSkewSeconds = clockSkewSeconds
        self.sm2DistinguishingID = sm2DistinguishingID
    }
}
