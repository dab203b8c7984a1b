import SwiftASN1
import TongbanCore
import X509

/// The federation's certificate profile as a swift-certificates policy.
struct FederationProfilePolicy: VerifierPolicy {
    let role: FederationTrust.Role
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        let leaf = chain.leaf
        guard leaf.federationProvince != nil else {
            return .failsToMeetPolicy(reason: "leaf names no single \(ProvinceURI.prefix)CODE URI")
        }
        let keyUsage = try? leaf.extensions.keyUsage
        let extended = (try? leaf.extensions.extendedKeyUsage).map(Array.init) ?? []
        switch role {
        case .tlsClient:
            guard extended.contains(.clientAuth) else { return .failsToMeetPolicy(reason: "leaf lacks extended key usage clientAuth") }
        case .tlsServer:
            guard extended.contains(.serverAuth) else { return .failsToMeetPolicy(reason: "leaf lacks extended key usage serverAuth") }
        case .signing:
            guard let keyUsage, keyUsage.digitalSignature else {
                return .failsToMeetPolicy(reason: "leaf lacks key usage digitalSignature")
            }
        }
        return .meetsPolicy
    }
}
