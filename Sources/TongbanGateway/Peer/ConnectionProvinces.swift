import NIOCore
import Synchronization
import TongbanCore

/// The calling province of each open peer connection, read from its client certificate on the first request
/// and forgotten when the connection closes. Keep-alive requests then skip the event-loop round trip and the
/// certificate parsing the benchmark's profile showed on every request.
final class ConnectionProvinces: Sendable {
    private let provinces = Mutex<[ObjectIdentifier: ProvinceCode]>([:])

    func province(of channel: any Channel, read: (any Channel) async throws -> ProvinceCode?) async throws -> ProvinceCode? {
        let id = ObjectIdentifier(channel)
        if let known = provinces.withLock({ $0[id] }) { return known }
        guard let province = try await read(channel) else { return nil }
        let inserted = provinces.withLock { table in
            guard table[id] == nil else { return false }
            table[id] = province
            return true
        }
        if inserted { channel.closeFuture.whenComplete { [self] _ in _ = self.provinces.withLock { $0.removeValue(forKey: id) } } }
        return province
    }
}
