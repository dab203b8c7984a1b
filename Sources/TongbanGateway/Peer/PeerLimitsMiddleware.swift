import Hummingbird
import HTTPTypes
import Logging
import TongbanCore

/// Applies `PeerLimits` to every peer request once the caller's province is known, before its signature is
/// checked. A refusal is a signed `application/problem+json` with `Retry-After`.
struct PeerLimitsMiddleware: RouterMiddleware {
    typealias Context = PeerRequestContext
    let limits: PeerLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let caller = context.peerProvince else { return try await next(request, context) }
        switch limits.admit(caller) {
        case .admit:
            defer { limits.release() }
            return try await next(request, context)
        case .refuse(let code, let retryAfter, let detail):
            context.logger.notice("request refused by a limit", metadata: ["tongban.code": .string(code.rawValue)])
            var response = try Problem(code, detail: detail).response(from: request, context: context)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }
}
