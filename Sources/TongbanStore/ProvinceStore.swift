import Crypto
import Foundation
import TongbanCore

/// What a province's gateway keeps: records and resource states, grants, the audit chain, sharing applications,
/// corrections and the peer outbox. Two implementations pass one conformance suite (`StoreConformance` in the
/// tests): `StateStore`, embedded SQLite files in the state directory (one machine, the default), and
/// `PostgresStore` (`store.kind: postgresql`), which several replicas of one province share.
///
/// Every write that an answer depends on is durable when its call returns. Errors are `TongbanError`s: a store
/// that cannot answer gives `storeUnavailable` (or `auditUnavailable` for the audit), and the exchange is refused.
public protocol ProvinceStore: AnyObject, Sendable {
    /// `sqlite` or `postgresql`, for `tongbanctl status` and the logs.
    var kind: StoreKind { get }
    /// The algorithm of the next audit entries; entries that name none when appended take it.
    var auditHash: AuditHashAlgorithm { get set }
    /// Whether `recordsNow` and `cachedGrants` answer without waiting on I/O, so the peer fast path may run on the
    /// event loop (true for SQLite's local files; false for a database across the network).
    var readsWithoutWaiting: Bool { get }

    /// Succeeds when the audit log takes a write and the records answer a read: what an exchange needs.
    func ping() async throws(TongbanError)
    /// The schema version applied.
    func schemaVersion() async throws(TongbanError) -> String
    /// Periodic upkeep (SQLite's WAL checkpoints, a shared store's cache refresh), run every second by the daemon.
    func maintain() async throws(TongbanError) -> StoreMaintenance
    func close() async

    // MARK: Records
    func upsert(resource: String, records: RecordBatch, at now: Date) async throws(TongbanError) -> (inserted: Int, updated: Int, unchanged: Int)
    func records(resource: String, subjects: [String]) async throws(TongbanError) -> [String: StoredRecord]
    /// `records` on the caller's thread, for the fast path; only called when `readsWithoutWaiting`.
    func recordsNow(resource: String, subjects: [String]) throws(TongbanError) -> [String: StoredRecord]
    /// `recordsNow` without the dictionary: `visit` gets each found subject's position in `subjects`, its stored
    /// fields' UTF-8 (valid only during the call) and its time, in the order of `subjects`. For a batch answer
    /// written straight from the store's bytes.
    func visitRecordsNow(resource: String, subjects: [String],
                         _ visit: (Int, UnsafeBufferPointer<UInt8>, Date) -> Void) throws(TongbanError)
    func resourceStates() async throws(TongbanError) -> [String: ResourceState]
    func sampleSubjects(resource: String, limit: Int) async throws(TongbanError) -> [String]

    // MARK: Grants
    func addGrant(_ grant: Grant, at now: Date) async throws(TongbanError) -> Grant?
    /// The grants when cached, without waiting; nil otherwise (the fast path then hands the request on).
    var cachedGrants: [Grant]? { get }
    func grants() async throws(TongbanError) -> [Grant]
    func revokeGrant(_ id: String, at now: Date) async throws(TongbanError) -> Bool

    // MARK: Audit
    /// Appends `entry` to the chain and returns it as stored, once committed. An inbound entry whose caller and
    /// request id are already in the log is refused with `requestReplayed` (a shared store's replay protection
    /// across replicas); any other failure is `auditUnavailable`.
    func appendAudit(_ entry: AuditEntry) async throws(TongbanError) -> AuditEntry
    /// The same with a completion, called once after the commit or its failure.
    func appendAudit(_ entry: AuditEntry, completion: @escaping @Sendable (Result<AuditEntry, any Error>) -> Void)
    func auditChainLength() async throws(TongbanError) -> Int
    func auditEntries(requestId: String?, since: Date?, until: Date?, direction: AuditEntry.Direction?, last: Int?) async throws(TongbanError) -> [AuditEntry]
    func recentInboundRequests(since: Date) async throws(TongbanError) -> [(requestId: String, peer: String, time: Date)]
    /// The province's audit secret (for subject digests), created on first use and never replaced.
    func auditSecret() async throws(TongbanError) -> SymmetricKey
    func usage(_ query: UsageQuery) async throws(TongbanError) -> UsageReport

    // MARK: Applications, corrections and the outbox
    func insertApplication(_ application: SharingApplication) async throws(TongbanError) -> SharingApplication?
    func application(id: String) async throws(TongbanError) -> SharingApplication?
    func applications(direction: ApplicationDirection?, state: ApplicationState?, expiringBy: Date?) async throws(TongbanError) -> [SharingApplication]
    func updateApplication(_ id: String, grant: Grant?, outbox: (@Sendable (SharingApplication) -> OutboxMessage?)?, at now: Date,
                           _ transition: @escaping @Sendable (SharingApplication) throws(TongbanError) -> SharingApplication?)
        async throws(TongbanError) -> (before: SharingApplication, after: SharingApplication)?
    func insertCorrection(_ correction: Correction) async throws(TongbanError) -> Correction?
    func correction(id: String) async throws(TongbanError) -> Correction?
    func corrections(direction: CorrectionDirection?, state: CorrectionState?) async throws(TongbanError) -> [Correction]
    func updateCorrection(_ id: String, outbox: (@Sendable (Correction) -> OutboxMessage?)?, at now: Date,
                          _ transition: @escaping @Sendable (Correction) throws(TongbanError) -> Correction?)
        async throws(TongbanError) -> (before: Correction, after: Correction)?
    /// Messages due for an attempt at `now`, oldest first. A shared store leases them to the caller, so two
    /// replicas never send the same message at once.
    func dueOutboxMessages(at now: Date, limit: Int) async throws(TongbanError) -> [OutboxMessage]
    func pendingOutboxCount() async throws(TongbanError) -> Int
    func recordOutboxAttempt(_ message: OutboxMessage, delivered: Bool, abandoned: Bool, error: String?, retryAt: Date, at now: Date)
        async throws(TongbanError)
}

/// The default arguments callers use (a protocol requirement cannot have them).
extension ProvinceStore {
    /// Through `recordsNow`, for a store with no cheaper way.
    public func visitRecordsNow(resource: String, subjects: [String],
                                _ visit: (Int, UnsafeBufferPointer<UInt8>, Date) -> Void) throws(TongbanError) {
        StoredRecord.visit(try recordsNow(resource: resource, subjects: subjects), in: subjects, visit)
    }

    /// Appends `entry` and waits for its group commit: appends that arrive while a commit is under way share the
    /// next one (its transaction and its flush), so the log's cost per exchange falls as load rises. Each caller
    /// returns only once its own entry is committed; when a commit fails, every entry in it is refused.
    public func appendAudit(_ entry: AuditEntry) async throws(TongbanError) -> AuditEntry {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                appendAudit(entry) { continuation.resume(with: $0) }
            }
        } catch let error as TongbanError where error.code == .requestReplayed || error.code == .auditUnavailable {
            throw error
        } catch {
            throw TongbanError(.auditUnavailable, "the audit log cannot be written: \(error)")
        }
    }

    public func upsert(resource: String, records: [(subject: String, fieldsJSON: String)], at now: Date = Date())
        async throws(TongbanError) -> (inserted: Int, updated: Int, unchanged: Int) {
        try await upsert(resource: resource, records: RecordBatch(records), at: now)
    }

    public func upsert(resource: String, records: RecordBatch) async throws(TongbanError) -> (inserted: Int, updated: Int, unchanged: Int) {
        try await upsert(resource: resource, records: records, at: Date())
    }

    @discardableResult
    public func addGrant(_ grant: Grant) async throws(TongbanError) -> Grant? { try await addGrant(grant, at: Date()) }

    public func revokeGrant(_ id: String) async throws(TongbanError) -> Bool { try await revokeGrant(id, at: Date()) }

    public func auditEntries(requestId: String? = nil, since: Date? = nil, until: Date? = nil, direction: AuditEntry.Direction? = nil)
        async throws(TongbanError) -> [AuditEntry] {
        try await auditEntries(requestId: requestId, since: since, until: until, direction: direction, last: nil)
    }

    public func applications(direction: ApplicationDirection? = nil, state: ApplicationState? = nil) async throws(TongbanError) -> [SharingApplication] {
        try await applications(direction: direction, state: state, expiringBy: nil)
    }

    public func applications(expiringBy: Date) async throws(TongbanError) -> [SharingApplication] {
        try await applications(direction: nil, state: nil, expiringBy: expiringBy)
    }

    public func updateApplication(_ id: String, grant: Grant? = nil, outbox: (@Sendable (SharingApplication) -> OutboxMessage?)? = nil,
                                  _ transition: @escaping @Sendable (SharingApplication) throws(TongbanError) -> SharingApplication?)
        async throws(TongbanError) -> (before: SharingApplication, after: SharingApplication)? {
        try await updateApplication(id, grant: grant, outbox: outbox, at: Date(), transition)
    }

    public func corrections(direction: CorrectionDirection? = nil) async throws(TongbanError) -> [Correction] {
        try await corrections(direction: direction, state: nil)
    }

    public func corrections(state: CorrectionState) async throws(TongbanError) -> [Correction] {
        try await corrections(direction: nil, state: state)
    }

    public func updateApplication(_ id: String, at now: Date,
                                  _ transition: @escaping @Sendable (SharingApplication) throws(TongbanError) -> SharingApplication?)
        async throws(TongbanError) -> (before: SharingApplication, after: SharingApplication)? {
        try await updateApplication(id, grant: nil, outbox: nil, at: now, transition)
    }

    public func updateCorrection(_ id: String, at now: Date, _ transition: @escaping @Sendable (Correction) throws(TongbanError) -> Correction?)
        async throws(TongbanError) -> (before: Correction, after: Correction)? {
        try await updateCorrection(id, outbox: nil, at: now, transition)
    }

    public func updateCorrection(_ id: String, outbox: (@Sendable (Correction) -> OutboxMessage?)? = nil,
                                 _ transition: @escaping @Sendable (Correction) throws(TongbanError) -> Correction?)
        async throws(TongbanError) -> (before: Correction, after: Correction)? {
        try await updateCorrection(id, outbox: outbox, at: Date(), transition)
    }

    public func dueOutboxMessages(at now: Date = Date()) async throws(TongbanError) -> [OutboxMessage] {
        try await dueOutboxMessages(at: now, limit: 100)
    }

    public func recordOutboxAttempt(_ message: OutboxMessage, delivered: Bool, abandoned: Bool = false, error: String? = nil, retryAt: Date)
        async throws(TongbanError) {
        try await recordOutboxAttempt(message, delivered: delivered, abandoned: abandoned, error: error, retryAt: retryAt, at: Date())
    }

    /// One field of the record of `subject` in `resource` as it stands now, or nil when there is no such record.
    public func fieldState(resource: String, subject: String, field: String) async throws(TongbanError) -> RecordFieldState? {
        guard let stored = try await records(resource: resource, subjects: [subject])[subject] else { return nil }
        var value: String?
        if case .object(let fields)? = try? JSONValue.parse(stored.fieldsJSON) { value = fields[field]?.canonicalText }
        return RecordFieldState(value: value, updatedAt: stored.updatedAt)
    }
}
