/// Where a grant stands at a moment: what `grant list` shows in its STATE column and its `state` member.
public enum GrantState: String, Codable, Sendable, CaseIterable {
    /// In force: the policy serves under it.
    case active
    /// Not yet in force (its `validFrom` is ahead of the gateway's clock).
    case pending
    /// Past its `validUntil`.
    case expired
    /// Revoked (`grant revoke`); it stays on record.
    case revoked
}
