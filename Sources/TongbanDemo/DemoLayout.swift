import TongbanCore

/// How `demo up` lays a federation out: where the provinces keep their state, and which one runs on several
/// replicas behind haproxy.
public struct DemoLayout: Sendable {
    /// `sqlite` (the default: each province's state directory) or `postgresql` (a private cluster, one database per
    /// province).
    public var store: StoreKind = .sqlite
    /// Replicas of `replicated` (1: none); more than one needs `store` PostgreSQL.
    public var replicas = 1
    /// The replicated province; default the second one listed (an answering province of the tour).
    public var replicated: ProvinceCode?

    public init(store: StoreKind = .sqlite, replicas: Int = 1, replicated: ProvinceCode? = nil) {
        self.store = store
        self.replicas = replicas
        self.replicated = replicated
    }
}
