import Hummingbird
import NIOCore
import NIOHTTP1
import Logging
import TongbanCore

/// Gives every request an id (logged as `tongban.request.id`, echoed in `Tongban-Request-Id`) and turns every
/// failure into `application/problem+json` with a stable code. Errors that are not Tongban's own become an
/// opaque 500 plus a log line, so no internal detail reaches a caller.
///
/// On the admin socket (`discloseCauses`), which only the operator can reach, a failure's cause is told too: an
/// operator whose import failed must read "database or disk is full", not be sent to the log.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    var discloseCauses = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestId = RequestID.of(request)
        var context = context
        context.logger[metadataKey: "tongban.request.id"] = .string(requestId)
        var response: Response
        do {
            response = try await next(request, context)
        } catch var problem as Problem {
            problem.requestId = requestId
            response = try problem.response(from: request, context: context)
        } catch let error as TongbanError {
            if error.code.discloses {
                context.logger.notice("request refused", metadata: ["tongban.code": .string(error.code.rawValue)])
            } else {
                // The cause (a store error, a file path) goes to the log only; the caller gets a fixed detail.
                context.logger.error("request failed: \(error.message)", metadata: ["tongban.code": .string(error.code.rawValue)])
            }
            let problem = discloseCauses ? Problem(error.code, detail: error.message, requestId: requestId) : Problem(error, requestId: requestId)
            response = try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let code: TongbanError.Code = switch error.status.code {
            case 404: .notFound
            case 405: .methodNotAllowed
            case 413: .bodyTooLarge
            default: .requestInvalid
            }
            let problem = Problem(code, detail: code == .notFound ? "no such endpoint: \(request.method) \(request.uri.path)" : error.body,
                                  requestId: requestId)
            response = try problem.response(from: request, context: context)
        } catch let error as HTTPParserError {
            // The head parsed, then its body did not (a broken chunk, a framing the parser refuses): the caller's fault.
            response = try Problem(.requestInvalid, detail: "the request body is not valid HTTP/1.1 (\(error))",
                                   requestId: requestId).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            response = try Problem(.bodyTooLarge, detail: "the request body is larger than this endpoint accepts",
                                   requestId: requestId).response(from: request, context: context)
        } catch {
            context.logger.error("internal error", metadata: ["tongban.error": .string(String(describing: type(of: error)))])
            response = try Problem(.internalError, detail: Problem.undisclosed, requestId: requestId)
                .response(from: request, context: context)
        }
        response.headers[RequestID.headerName] = requestId
        return response
    }
}
