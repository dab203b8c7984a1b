import Foundation
import Hummingbird
import TongbanCore

/// A JSON body with Tongban's encoding conventions (sorted keys, ISO 8601 dates).
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    let value: Value
    let contentType: String

    init(_ value: Value, status: HTTPResponse.Status = .ok, contentType: String = "application/json") {
        self.value = value
        self.status = status
        self.contentType = contentType
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONCoding.encoder(pretty: false).encode(value)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
