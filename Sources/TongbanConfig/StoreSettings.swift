import TongbanCore

/// Where the province keeps its state (`store:`): `sqlite` (the default) keeps it in the state directory;
/// `postgresql` in the database at `url`, which replicas of the province share (docs/deployment.md, "Two or more
/// machines"). The state directory is used either way (the last good manifest, the SQLite files).
public struct StoreSettings: Sendable, Equatable {
    public var kind: StoreKind = .sqlite
    /// `postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=disable|require|verify-full]`.
    public var url: String?
    /// A file holding the database password (mode 0600), instead of a password in `url`.
    public var passwordFile: String?
    /// PEM roots for `sslmode=verify-full` (default: the system's).
    public var caFile: String?
    /// Connections each replica keeps at most.
    public var poolSize = 10
    /// How long each replica caches grants and resource states: a change made on another replica is in force
    /// here within this time.
    public var cacheSeconds = 1
    /// How long a start waits for the database to answer.
    public var connectSeconds = 30

    public init() {}
}
