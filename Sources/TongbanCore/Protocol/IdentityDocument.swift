/// `GET /v1/identity`: who a gateway is and the certificate its messages are signed with.
public struct IdentityDocument: Codable, Sendable, Equatable {
    public var province: String
    public var name: String
    /// PEM of the signing certificate.
    public var signingCertificate: String
    /// The Tongban release the gateway runs.
    public var version: String

    public init(province: String, name: String, signingCertificate: String, version: String) {
        self.province = province
        self.name = name
        self.signingCertificate = signingCertificate
        self.version = version
    }
}
