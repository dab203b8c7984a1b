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
/// A province's keys are fetched again once `refreshInterval` has passed since they were learnt, and keys it
/// no longer publishes are dropped, so a key replaced after a compromise stops verifying within that time
/// without a reload here. A failed look-up is remembered for `failureMemory`: a caller cannot make this
/// gateway call it back on every request, and what the caller answered never becomes a code here.
///
/// A known key is found under a lock, without an executor hop: that is every signed request but a caller's first.
final class SigningKeyDirectory: Sendable {
    struct Entry: Sendable {
        let province: ProvinceCode
        let key: MessageVerificationKey
        let notAfter: Date
        let learnt: ContinuousClock.Instant
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        /// Provinces whose identity could not be fetched, until when that is remembered, and why.
        var failures: [ProvinceCode: (until: ContinuousClock.Instant, reason: String)] = [:]
    }

    private let table = Mutex(Table())
    let peerClient: PeerClient
    let peers: [GatewayConfiguration.Peer]
    let refreshInterval: Duration
    let failureMemory: Duration

    init(peerClient: PeerClient, peers: [GatewayConfiguration.Peer], failureMemory: Duration = .seconds(5)) {
        self.peerClient = peerClient
        self.peers = peers
        self.refreshInterval = peerClient.identityLifetime
        self.failureMemory = failureMemory
    }

    /// The key for `keyID`, which must belong to `caller` (the province of the TLS client certificate).
    func key(_ keyID: String, caller: ProvinceCode, now: Date = Date()) async throws(TongbanError) -> MessageVerificationKey {
        let clock = ContinuousClock.now
        let known = table.withLock { $0.entries[keyID] }
        if let known, clock - known.learnt < refreshInterval, let key = try Self.usable(known, keyID: keyID, caller: caller, now: now) {
            return key
        }
        guard let peer = peers.first(where: { $0.code == caller }) else {
            throw TongbanError(.peerUnknown, "province \(caller) is not a configured peer")
        }
        // A key learnt before whose refresh cannot be had now stays in use until its certificate expires: the
        // caller may be unable to answer us (one-way network) while its key is unchanged.
        let stale = known.flatMap { $0.province == caller && $0.notAfter > now ? $0.key : nil }
        if let failure = table.withLock({ $0.failures[caller] }), failure.until > clock {
            if let stale { return stale }
            throw TongbanError(.signatureInvalid, "key \(keyID.prefix(16)) is unknown and province \(caller)'s signing key could not be "
                               + "fetched (\(failure.reason)); tried again after \(Int((failure.until - clock).components.seconds) + 1) s")
        }
        let identity: VerifiedIdentity
        do { identity = try await peerClient.verifiedIdentity(of: peer) } catch {
            // The caller's answer is text in our message, never our code; and it is not asked again for a while.
            let reason = Self.reason(error)
            table.withLock { $0.failures[caller] = (ContinuousClock.now + failureMemory, reason) }
            if let stale { return stale }
            throw TongbanError(.signatureInvalid, "key \(keyID.prefix(16)) is unknown and province \(caller)'s signing key could not be fetched: \(reason)")
        }
        let fetched = Entry(province: caller, key: identity.key, notAfter: identity.certificate.notValidAfter, learnt: .now)
        let current = table.withLock { table in
            table.failures[caller] = nil
            // The province publishes one key: any other key of it that was learnt before is withdrawn.
            table.entries = table.entries.filter { $0.value.province != caller }
            table.entries[identity.keyID] = fetched
            return table.entries[keyID]
        }
        if let current, let key = try Self.usable(current, keyID: keyID, caller: caller, now: now) { return key }
        if let current, current.province != caller {
            throw TongbanError(.identityMismatch, "key \(keyID.prefix(16)) belongs to province \(current.province), not to the TLS caller \(caller)")
        }
        throw TongbanError(.signatureInvalid, "key \(keyID.prefix(16)) is not the signing key province \(caller) publishes")
    }

    /// The entry's key when it is still valid and belongs to `caller`; nil when it expired.
    private static func usable(_ entry: Entry, keyID: String, caller: ProvinceCode, now: Date) throws(TongbanError) -> MessageVerificationKey? {
        guard entry.notAfter > now else { return nil }
        guard entry.province == caller else {
            throw TongbanError(.identityMismatch, "key \(keyID.prefix(16)) belongs to province \(entry.province), not to the TLS caller \(caller)")
        }
        return entry.key
    }

    /// A failed fetch in a few words, with control characters taken out (it may quote the caller's own text).
    static func reason(_ error: TongbanError) -> String {
        String(String.UnicodeScalarView(error.message.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }).prefix(200))
    }
}
