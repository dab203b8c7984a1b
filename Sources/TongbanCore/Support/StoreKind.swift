/// Where a province keeps its state (`store.kind`): embedded SQLite files in the state directory (one machine,
/// the default), or a PostgreSQL database that several replicas of the province share.
public enum StoreKind: String, Sendable, CaseIterable {
    case sqlite
    case postgresql
}
