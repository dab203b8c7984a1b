import Foundation
import TongbanCore
import X509

/// The verified identities of peers, by province, with when each was fetched.
actor IdentityCache {
    private var identities: [ProvinceCode: (identity: VerifiedIdentity, fetched: ContinuousClock.Instant)] = [:]

    /// The identity of `province` when it was fetched less than `lifetime` ago and its certificate is still valid.
    func current(for province: ProvinceCode, lifetime: Duration, now: Date = Date()) -> VerifiedIdentity? {
        guard let entry = identities[province], ContinuousClock.now - entry.fetched < lifetime,
              entry.identity.certificate.notValidAfter > now else { return nil }
        return entry.identity
    }

    func all() -> [ProvinceCode: VerifiedIdentity] { identities.mapValues(\.identity) }

    func store(_ identity: VerifiedIdentity, for province: ProvinceCode) { identities[province] = (identity, .now) }
}
