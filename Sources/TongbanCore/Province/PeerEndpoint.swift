/// Where a peer province's gateway answers: its code, name and the `https://host:port` of its peer listener.
public struct PeerEndpoint: Sendable, Equatable {
    public var code: ProvinceCode
    public var name: String
    /// `https://host:port` of the peer's peer listener.
    public var url: String

    public init(code: ProvinceCode, name: String, url: String) {
        self.code = code
        self.name = name
        self.url = url
    }
}
