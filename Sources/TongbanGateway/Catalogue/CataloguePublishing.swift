import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TongbanConfig
import TongbanCore

/// `GET /v1/catalogue`: the directory as JSON, or as DCAT-AP 3 JSON-LD for `Accept: application/ld+json`;
/// `ETag` is the content version and a matching `If-None-Match` gets 304 with no body.
enum CataloguePublishing {
    static func respond(to request: Request, context: some RequestContext, state: GatewayState) async throws -> Response {
        let c = state.configuration
        let publication = try await state.catalogue.publication(province: c.province, name: c.provinceName, store: state.store)
        let document = publication.document
        let etag = "\"\(document.version)\""
        if let match = request.headers[.ifNoneMatch],
           match.split(separator: ",").contains(where: { let tag = $0.trimmingCharacters(in: .whitespaces); return tag == etag || tag == "*" }) {
            var headers = HTTPFields()
            headers[.eTag] = etag
            return Response(status: .notModified, headers: headers)
        }
        var response: Response
        if (request.headers[.accept] ?? "").contains("application/ld+json") {
            let rendering = DCATRendering.render(document, endpoint: request.head.authority.map { "https://\($0)" } ?? "")
            response = try JSONResponse(rendering, contentType: "application/ld+json").response(from: request, context: context)
        } else {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            response = Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: publication.json)))
        }
        response.headers[.eTag] = etag
        return response
    }
}
