import Hummingbird
import TongbanCore

/// Refuses a request whose header fields together exceed `limits.maxHeaderBytes` with 431
/// `tongban.headers.too-large`. (The HTTP parser itself stops at twice that and closes the connection with a
/// plain 400, before any middleware can answer.)
struct HeaderLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximum: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var size = request.uri.string.utf8.count
        for field in request.headers { size += field.name.rawName.utf8.count + field.value.utf8.count + 4 }
        guard size <= maximum else {
            throw Problem(.headersTooLarge,
                          detail: "the request head is \(size) bytes; this gateway accepts at most \(maximum)")
        }
        return try await next(request, context)
    }
}
