import NIOCore
import Synchronization
import TongbanCore

/// The client certificate of each open peer connection — its province, key pin and serial — read on the first
/// request and forgotten when the connection closes. Keep-alive requests then skip the event-loop round trip and
/// the certificate parsing the benchmark's profile showed on every request, while the manifest's admission is
/// still checked on every request against these values.
final class ConnectionProvinces: Sendable {
    private let identities = Mutex<[ObjectIdentifier: ConnectionIdentity]>([:])

    /// The connection's identity when an earlier request on it has read it; nil otherwise (the peer fast path then
    /// leaves the request to the general path, which reads it).
    func known(_ channel: any Channel) -> ConnectionIdentity? {
        identities.withLock { $0[ObjectIdentifier(channel)] }
    }

    func identity(of channel: any Channel, read: (any Channel) async throws -> ConnectionIdentity?) async throws -> ConnectionIdentity? {
        let id = ObjectIdentifier(channel)
        if let known = identities.withLock({ $0[id] }) { return known }
        guard let identity = try await read(channel) else { return nil }
        let inserted = identities.withLock { table in
            guard table[id] == nil else { return false }
            table[id] = identity
            return true
        }
        if inserted { channel.closeFuture.whenComplete { [self] _ in _ = self.identities.withLock { $0.removeValue(forKey: id) } } }
        return identity
    }
}
