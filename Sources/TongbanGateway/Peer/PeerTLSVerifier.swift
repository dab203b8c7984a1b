import Logging
import NIOSSL
import SwiftASN1
import TongbanCore
import TongbanPKI
import X509

/// The peer listener's TLS client-certificate check, run during the handshake in place of BoringSSL's:
/// the chain must reach a federation root, the leaf must carry clientAuth and one province URI, and the manifest
/// in force must admit it (an active member, its key one of the member's pins, its serial not revoked).
/// A refused handshake is logged with the reason (certificate names only, never personal data). The roots
/// are the runtime's, so a reload that changes them applies from the next handshake; an accepted certificate's
/// expiry is remembered for the expiry warnings.
struct PeerTLSVerifier: Sendable {
    let state: GatewayState
    let logger: Logger

    func verify(_ presented: [NIOSSLCertificate]) async throws -> NIOSSLVerificationResult {
        guard let first = presented.first else { return .failed }
        do {
            let leaf = try Certificate(derEncoded: try first.toDERBytes())
            let intermediates = try presented.dropFirst().map { try Certificate(derEncoded: try $0.toDERBytes()) }
            let province = try await state.trust.verify(leaf, intermediates: intermediates, role: .tlsClient)
            if case .refused(let code, let reason) = state.federation.current.index.admitTLS(
                province: province, pin: TLSPin.of(leaf), serial: leaf.serialHex) {
                state.metrics.refusal(code: code.rawValue)
                if state.admissionRefusals.shouldAudit(province: province, code: code) {
                    _ = try? await state.appendAudit(AdmissionRefusals.entry(province: province, code: code))
                }
                throw TongbanError(code, reason)
            }
            state.peerCertificates.record(province: province, usage: "tls", notAfter: leaf.notValidAfter)
            return .certificateVerified
        } catch let error as TongbanError {
            logger.warning("refused a TLS client certificate", metadata: ["tongban.code": .string(error.code.rawValue), "tongban.reason": .string(error.message)])
            return .failed
        } catch {
            logger.warning("refused an unparsable TLS client certificate")
            return .failed
        }
    }
}
