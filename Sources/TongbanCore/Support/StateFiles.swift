/// The files of a gateway's state directory (`state.directory`), named once: the store opens them, and
/// `tongband --check-config` checks them before the daemon does.
public enum StateFiles {
    /// Records, resource states and grants.
    public static let records = "tongban.sqlite"
    /// The audit log.
    public static let audit = "audit.sqlite"
    /// The secret of the audit log's subject digests.
    public static let auditSecret = "audit.key"
    /// The audit secret's size in bytes.
    public static let auditSecretSize = 32

    /// Every file the daemon may have made there: both databases with their WAL and shared-memory files, and the
    /// audit secret.
    /// The last good federation manifest (the JWS as verified), so that a restart works while the hub is down.
    public static let federationManifest = "federation.jws"
    public static let all: [String] = [records, audit].flatMap { [$0, $0 + "-wal", $0 + "-shm"] } + [auditSecret, federationManifest]
}
