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
