import Crypto
import Foundation
import Hummingbird
import Logging
import TongbanConfig
import TongbanCore

/// Department systems on the local API present `Authorization: Bearer TOKEN`; the gateway keeps only the
/// tokens' SHA-256 and compares in constant time. No token, or an unknown one: 401. It is the middleware of
/// the `/local` route group, so it runs for every route the router matched there, whatever the raw path was.
struct DepartmentAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// Departments are read per request from the runtime in force, so a reload adds or revokes them at once.
    let state: GatewayState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw Problem(.localUnauthorized, detail: "send Authorization: Bearer TOKEN")
        }
        let digest = Array(SHA256.hash(data: Data(header.dropFirst(7).utf8)))
        let department = state.configuration.departments.first { department in
            let expected = stride(from: 0, to: department.tokenSHA256.count, by: 2).compactMap { index -> UInt8? in
                let start = department.tokenSHA256.index(department.tokenSHA256.startIndex, offsetBy: index)
                return UInt8(department.tokenSHA256[start..<department.tokenSHA256.index(start, offsetBy: 2)], radix: 16)
            }
            return expected.count == digest.count && zip(expected, digest).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
        guard let department else { throw Problem(.localUnauthorized, detail: "unknown token") }
        var context = context
        context.logger[metadataKey: "tongban.department"] = .string(department.code)
        return try await DepartmentContext.$current.withValue(department) { try await next(request, context) }
    }
}
