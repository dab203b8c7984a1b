/// Which side of an application this gateway is on.
public enum ApplicationDirection: String, Codable, Sendable, CaseIterable {
    /// A peer applied to this province (this gateway provides, and decides).
    case incoming
    /// This province applied to a peer (this gateway mirrors the provider's decision).
    case outgoing
}
