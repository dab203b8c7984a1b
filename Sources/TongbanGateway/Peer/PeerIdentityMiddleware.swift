import Hummingbird
import Logging
import NIOCore
import NIOSSL
import SwiftASN1
import TongbanCore
import TongbanPKI
import X509

/// Takes the calling province from the SAN URI of the TLS client certificate and refuses any request
/// without one. (The handshake has already verified the chain; this is where handlers learn who called.)
/// The manifest in force is checked again on every request, so a suspension or a revocation applies to
/// connections opened before it too; and every exchange but the manifest's own fetch stops once the manifest
/// has expired (fail-closed).
struct PeerIdentityMiddleware: RouterMiddleware {
    typealias Context = PeerRequestContext
    let state: GatewayState
    let connections: ConnectionProvinces

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let identity = try await connections.identity(of: context.channel, read: Self.identity(of:)) else {
            throw Problem(.identityMissing,
                          detail: "the TLS client certificate names no \(ProvinceURI.prefix)CODE")
        }
        let province = identity.province
        var context = context
        context.audit?.caller = province
        var refusal: (code: TongbanError.Code, reason: String)?
        if case .refused(let code, let reason) = state.federation.current.index.admitTLS(province: province, pin: identity.pin, serial: identity.serial) {
            refusal = (code, reason)
        } else if !(request.method == .get && request.uri.path == "/v1/federation") {
            do { try state.requireFederationInForce() } catch { refusal = (error.code, error.message) }
        }
        if let refusal {
            if state.admissionRefusals.shouldAudit(province: province, code: refusal.code) {
                let id = request.headers[RequestID.headerName].flatMap { UUIDText.parse($0) != nil ? $0.lowercased() : nil }
                context.audit?.draft = AdmissionRefusals.entry(province: province, code: refusal.code,
                                                               endpoint: ResponseSigningMiddleware.endpoint(request.uri.path), requestId: id)
            }
            throw Problem(refusal.code, detail: refusal.reason)
        }
        context.peerProvince = province
        context.audit?.caller = province
        context.logger[metadataKey: "tongban.peer"] = .string(province.rawValue)
        return try await next(request, context)
    }

    static func identity(of channel: any Channel) async throws -> ConnectionIdentity? {
        guard let peer = try await channel.nioSSL_peerCertificate().get(),
              let certificate = try? Certificate(derEncoded: try peer.toDERBytes()), let province = certificate.federationProvince else { return nil }
        return ConnectionIdentity(province: province, pin: TLSPin.of(certificate), serial: certificate.serialHex)
    }
}
