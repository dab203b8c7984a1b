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
struct PeerIdentityMiddleware: RouterMiddleware {
    typealias Context = PeerRequestContext
    let connections: ConnectionProvinces

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let province = try await connections.province(of: context.channel, read: Self.province(of:)) else {
            throw Problem(.identityMissing,
                          detail: "the TLS client certificate names no \(ProvinceURI.prefix)CODE")
        }
        var context = context
        context.peerProvince = province
        context.audit?.caller = province
        context.logger[metadataKey: "tongban.peer"] = .string(province.rawValue)
        return try await next(request, context)
    }

    static func province(of channel: any Channel) async throws -> ProvinceCode? {
        guard let peer = try await channel.nioSSL_peerCertificate().get() else { return nil }
        return (try? Certificate(derEncoded: try peer.toDERBytes()))?.federationProvince
    }
}
