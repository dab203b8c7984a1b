/// The DNS name every federation TLS certificate carries for its province, `province-31.tongban.invalid`, and
/// that a peer client connects by: the TLS library's host-name check of the server's certificate is then the
/// check that the server speaks for the province being called, during the handshake and before any byte of the
/// request is sent. The `.invalid` top-level domain never resolves (RFC 6761): the client maps the name to the
/// peer's configured address itself.
public enum ProvinceHostName {
    public static let suffix = ".tongban.invalid"

    public static func make(_ province: ProvinceCode) -> String { "province-" + province.rawValue + suffix }

    /// Whether `name` is in the federation's reserved namespace (only the CA writes such names).
    public static func isReserved(_ name: String) -> Bool { name.lowercased().hasSuffix(suffix) }

    /// The province `name` stands for, or nil when it is not a province host name.
    public static func parse(_ name: String) -> ProvinceCode? {
        let lower = name.lowercased()
        guard lower.hasPrefix("province-"), lower.hasSuffix(suffix) else { return nil }
        return try? ProvinceCode(String(lower.dropFirst("province-".count).dropLast(suffix.count)))
    }
}
