import Foundation
import Hummingbird
import TongbanCore

extension Problem: ResponseGenerator {
    /// The problem as an `application/problem+json` response with its status.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Problem.mediaType
        let body = (try? JSONCoding.encoder().encode(self)) ?? Data()
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Problem {
    /// The problem a peer or local client sees for a Tongban error; the status follows from the code.
    init(_ error: TongbanError, requestId: String?) {
        let status: Int
        switch error.code {
        case .identityMissing, .identityMismatch: status = 403
        case .notFound, .peerUnknown: status = 404
        case "tongban.matter.unknown": status = 400
        case "tongban.matter.not-applicable": status = 403
        case .peerUnreachable: status = 502
        case .peerTimeout: status = 504
        case .peerCircuitOpen, .peerBusy: status = 503
        case .storeUnavailable: status = 503
        case .configInvalid, .citizenIDInvalid, .provinceUnknown, "tongban.request.invalid": status = 400
        case "tongban.body.too-large": status = 413
        case "tongban.encoding.unsupported": status = 415
        default: status = 500
        }
        self.init(status: status, code: error.code,
                  detail: error.message, requestId: requestId)
    }
}
