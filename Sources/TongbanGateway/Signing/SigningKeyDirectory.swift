import Foundation
import Synchronization
import TongbanClient
import TongbanConfig
import TongbanCore
import TongbanSigning
import X509

/// Peers' signing keys by key id (the SHA-256 of their signing certificate). An unknown key id is resolved
/// by fetching the calling province's `/v1/identity`, whose certificate the peer client checks against the
/// federation root (validity, signing usage, province) before it is cached.
///
/// A known key is found under a lock, without an executor hop: that is every signed request but a caller's first.
final class SigningKeyDirectory: Sendable {
    struct Entry: Sendable {
        let province: ProvinceCode
        let key: MessageVerificationKey
        let notAfter: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let peerClient: PeerClient
    let peers: [GatewayConfiguration.Peer]

    init(peerClient: PeerClient, peers: [GatewayConfiguration.Peer]) {
        self.peerClient = peerClient
        self.peers = peers
    }

    /// The key for `keyID`, which must belong to `caller` (the province of the TLS client certificate).
    func key(_ keyID: String, caller: ProvinceCode, now: Date = Date()) async throws(TongbanError) -> MessageVerificationKey {
        if let key = try Self.usable(entries.withLock({ $0[keyID] }), keyID: keyID, caller: caller, now: now) { return key }
        guard let peer = peers.first(where: { $0.code == caller }) else {
            throw TongbanError(.peerUnknown, "province \(caller) is not a configured peer")
        }
        let identity = try await peerClient.verifiedIdentity(of: peer)
        let fetched = Entry(province: caller, key: identity.key, notAfter: identity.certificate.notValidAfter)
        let known = entries.withLock { entries in
            entries[identity.keyID] = fetched
            return entries[keyID]
        }
        if let key = try Self.usable(known, keyID: keyID, caller: caller, now: now) { return key }
        throw TongbanError("tongban.signature.invalid", "key \(keyID.prefix(16)) is not the signing key of province \(caller)")
    }

    /// The entry's key when it is still valid and belongs to `caller`; nil when there is none or it expired.
    private static func usable(_ entry: Entry?, keyID: String, caller: ProvinceCode, now: Date) throws(TongbanError) -> MessageVerificationKey? {
        guard let entry, entry.notAfter > now else { return nil }
        guard entry.province == caller else {
            throw TongbanError(.identityMismatch, "key \(keyID.prefix(16)) belongs to province \(entry.province), not to the TLS caller \(caller)")
        }
        return entry.key
    }
}
