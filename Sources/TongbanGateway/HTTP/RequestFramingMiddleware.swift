import HTTPTypes
import Hummingbird
import TongbanCore

/// Refuses, before any body is read, the request heads RFC 9112 says a server must not serve as they stand: more than
/// one `Host` field line (§3.2; the first names the signed `@authority`, another could be what a proxy routed by), and a
/// `Transfer-Encoding` other than `chunked` (§6.1: a coding this gateway does not implement would be served undecoded).
/// Each is 400 `tongban.request.invalid`.
struct RequestFramingMiddleware<Context: RequestContext>: RouterMiddleware {
    static var host: HTTPField.Name { HTTPField.Name("Host")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The HTTP/1 conversion takes the first Host line as the authority and keeps any other as a field.
        guard request.headers[Self.host] == nil else {
            throw Problem(.requestInvalid, detail: "more than one Host field line")
        }
        if let coding = request.headers[.transferEncoding], coding.lowercased() != "chunked" {
            throw Problem(.requestInvalid, detail: "Transfer-Encoding \(coding.prefix(40)) is not supported (chunked only)")
        }
        return try await next(request, context)
    }
}
