/// The authority directory's own settings (`DIR/authority.json`), written by `federation init`: what `sign` uses
/// when no option says otherwise. Kept apart from the draft because nothing here is part of the manifest.
public struct AuthoritySettings: Codable, Sendable, Equatable {
    /// Days a signed manifest is valid (`expiresAt − issuedAt`) by default; `sign --days` overrides it.
    public var manifestDays: Int

    /// A week by default: short enough that a suspension or a revocation reaches every gateway (which stop at
    /// `expiresAt`) well within it, long enough to survive a long weekend without a re-signing.
    public static let defaultManifestDays = 7
    /// A manifest lives from one day to ninety.
    public static let manifestDaysRange = 1...90

    public init(manifestDays: Int = Self.defaultManifestDays) {
        self.manifestDays = manifestDays
    }
}
