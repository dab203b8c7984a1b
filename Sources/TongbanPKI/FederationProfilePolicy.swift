import SwiftASN1
import TongbanCore
import X509

/// The federation's certificate profile as a swift-certificates policy.
struct FederationProfilePolicy: VerifierPolicy {
    let role: FederationTrust.Role
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let leaf = chain.leaf
        let extended = (try? leaf.extensions.extendedKeyUsage).map(Array.init) ?? []
        if role == .authority {
            guard extended.contains(.federationAuthority) else {
                return .failsToMeetPolicy(reason: "leaf lacks the federation authority's extended key usage")
            }
            guard leaf.federationProvinces.isEmpty else { return .failsToMeetPolicy(reason: "the authority's certificate names a province") }
            guard let keyUsage = try? leaf.extensions.keyUsage, keyUsage.digitalSignature else {
                return .failsToMeetPolicy(reason: "leaf lacks key usage digitalSignature")
            }
            return .meetsPolicy
        }
        // Only the authority's certificate carries its usage: a province's certificate with it is refused.
        guard !extended.contains(.federationAuthority) else {
            return .failsToMeetPolicy(reason: "leaf carries the federation authority's extended key usage")
        }
        guard let province = leaf.federationProvince else {
            return .failsToMeetPolicy(reason: "leaf names no single \(ProvinceURI.prefix)CODE URI")
        }
        // A name in the reserved namespace speaks for its province only: a certificate cannot carry another's.
        let dnsNames: [String] = ((try? leaf.extensions.subjectAlternativeNames).map(Array.init) ?? []).compactMap {
            if case .dnsName(let name) = $0 { name } else { nil }
        }
        for name in dnsNames where ProvinceHostName.isReserved(name) && ProvinceHostName.parse(name) != province {
            return .failsToMeetPolicy(reason: "leaf carries \(name), which is not province \(province)'s host name")
        }
        let keyUsage = try? leaf.extensions.keyUsage
        switch role {
        case .tlsClient:
            guard extended.contains(.clientAuth) else { return .failsToMeetPolicy(reason: "leaf lacks extended key usage clientAuth") }
        case .tlsServer:
            guard extended.contains(.serverAuth) else { return .failsToMeetPolicy(reason: "leaf lacks extended key usage serverAuth") }
            guard dnsNames.contains(where: { $0.lowercased() == ProvinceHostName.make(province) }) else {
                return .failsToMeetPolicy(reason: "leaf lacks the DNS name \(ProvinceHostName.make(province)), by which peers reach the province "
                                          + "(renew it with tongbanctl pki renew, which adds it)")
            }
        case .signing:
            guard let keyUsage, keyUsage.digitalSignature else {
                return .failsToMeetPolicy(reason: "leaf lacks key usage digitalSignature")
            }
        case .authority:
            return .failsToMeetPolicy(reason: "unreachable")
        }
        return .meetsPolicy
    }
}
