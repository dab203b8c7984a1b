import Hummingbird
import NIOCore
import TongbanCore

/// The request context of the peer listener: it keeps the connection's channel so the caller's TLS
/// certificate can be read, and the province that certificate names once it has been.
struct PeerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The calling province, from its TLS certificate; set by `PeerIdentityMiddleware`.
    var peerProvince: ProvinceCode?
    /// The verified `tongban` signature of the request; set by `RequestSignatureMiddleware`.
    var signedRequest: SignedRequest?
    /// Where a handler leaves its exchange's audit draft; set by `ResponseSigningMiddleware`.
    var audit: AuditRecorder?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
