/// `GET /v1/identity`: who a gateway is and the key its messages are signed with.
public struct IdentityDocument: Codable, Sendable, Equatable {
    public var province: String
    public var name: String
    /// PEM of the signing certificate; absent for a key without one (SM2: its public key is in the manifest).
    public var signingCertificate: String?
    /// The RFC 9421 `keyid` of the signing key.
    public var signingKeyId: String?
    /// Its RFC 9421 algorithm.
    public var signingAlgorithm: String?
    /// The Tongban release the gateway runs.
    public var version: String

    public init(province: String, name: String, signingCertificate: String?, signingKeyId: String? = nil, signingAlgorithm: String? = nil,
                version: String) {
        self.province = province
        self.name = name
        self.signingCertificate = signingCertificate
        self.signingKeyId = signingKeyId
        self.signingAlgorithm = signingAlgorithm
        self.version = version
    }
}
