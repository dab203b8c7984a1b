import Foundation
import NIOHTTP1
import TongbanCore
import TongbanSigning

extension PeerClient {
    /// Signs a request to `peer` with a fresh request id, as every call does before it is sent.
    public func sign(_ peer: PeerEndpoint, method: HTTPMethod, path: String, body: Data?,
                     fields extra: [(name: String, value: String)] = []) throws(TongbanError) -> SignedPeerRequest {
        let authority = try Self.authority(of: peer)
        let requestID = UUIDText.lowercased(UUIDText.timeOrdered())
        var fields: [(name: String, value: String)] = [(TongbanProfile.requestIDField, requestID), ("Accept", "application/json")] + extra
        let signer = keys.signer(for: peer.code)
        if let body {
            fields.append(("Content-Type", "application/json"))
            fields.append((ContentDigest.fieldName, ContentDigest.field(for: body, algorithms: [signer.digestAlgorithm])))
        }
        var view = HTTPMessageView.request(method: method.rawValue, scheme: "https", authority: authority, target: path, fields: fields)
        do {
            let signed = try signer.sign(view, covering: TongbanProfile.requestComponents(hasBody: body != nil))
            view.fields += [(SignatureFields.inputName, signed.input), (SignatureFields.signatureName, signed.signature)]
        } catch {
            throw TongbanError(.internalError, "cannot sign the request to \(peer.code): \(error)")
        }
        return SignedPeerRequest(method: method.rawValue, path: path, authority: authority, requestID: requestID, view: view, body: body)
    }

    /// Verifies an answer to `request` as `request(_:method:path:json:fields:)` does: digest of the body as
    /// received (before content decoding), signature by a key of the peer's in the manifest, binding to the
    /// request, and the echoed request id.
    public func verifyAnswer(status: Int, fields: [(name: String, value: String)], body: Data, to request: SignedPeerRequest,
                             peer: PeerEndpoint) throws(TongbanError) {
        try verifyResponse(Exchange(status: status, body: body, requestID: request.requestID, request: request.view,
                                    response: .response(status: status, fields: fields)), peer: peer)
    }

    /// `province-NN.tongban.invalid:PORT` for `peer`'s configured URL: the name its TLS certificate must carry.
    static func authority(of peer: PeerEndpoint) throws(TongbanError) -> String {
        guard let url = URL(string: peer.url), url.scheme == "https", let host = url.host, !host.isEmpty else {
            throw TongbanError(.configInvalid, "peer \(peer.code) has an invalid URL \(peer.url)")
        }
        return ProvinceHostName.make(peer.code) + ":" + String(url.port ?? 443)
    }
}
