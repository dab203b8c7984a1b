import Foundation
import SwiftASN1
import NIOHTTP1
import TongbanCore
import TongbanPKI
import TongbanSigning
import X509

extension PeerClient {
    /// `GET /v1/identity` of `peer` (a diagnostic: keys come from the manifest), refusing an answer that does not
    /// name the expected province, whose signing certificate (when it has one) does not chain to the root, whose key
    /// is not the peer's in the manifest, or that is not signed with a key of the peer's in the manifest.
    public func identity(of peer: PeerEndpoint) async throws(TongbanError) -> IdentityDocument {
        try await verifiedIdentity(of: peer).document
    }

    /// Fetches `peer`'s identity and checks its signing certificate (federation root, validity, signing usage,
    /// province) and the answer's signature.
    public func verifiedIdentity(of peer: PeerEndpoint) async throws(TongbanError) -> VerifiedIdentity {
        let exchange = try await send(peer, method: .GET, path: "/v1/identity", body: nil)
        guard exchange.status == 200 else { throw Self.refusal(peer, status: exchange.status, body: exchange.body) }
        let document: IdentityDocument
        do { document = try JSONCoding.decoder().decode(IdentityDocument.self, from: exchange.body) } catch {
            throw TongbanError(.peerUnreachable, "peer \(peer.code) answered /v1/identity with an unreadable document")
        }
        guard document.province == peer.code.rawValue else {
            throw TongbanError(.identityMismatch, "peer at \(peer.url) says it is province \(document.province), expected \(peer.code)")
        }
        var certificate: Certificate?
        if let pem = document.signingCertificate {
            let published: Certificate
            do { published = try Certificate(pemEncoded: pem) } catch {
                throw TongbanError(.pkiInvalid, "peer \(peer.code) published an unreadable signing certificate")
            }
            let province = try await trust.verify(published, role: .signing)
            guard province == peer.code else {
                throw TongbanError(.identityMismatch, "peer \(peer.code)'s signing certificate names province \(province)")
            }
            certificate = published
        }
        guard let keyID = document.signingKeyId ?? certificate?.sha256Fingerprint else {
            throw TongbanError(.pkiInvalid, "peer \(peer.code) published neither a signing certificate nor a key id")
        }
        // The key itself comes from the manifest, never from the document.
        let key = try keys.answerKey(keyID, of: peer.code)
        try verifyResponse(exchange, peer: peer)
        return VerifiedIdentity(document: document, certificate: certificate, key: key, keyID: keyID)
    }
}
