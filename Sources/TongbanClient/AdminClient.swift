import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TongbanCore

/// `tongbanctl`'s way to the local daemon: HTTP over the admin unix socket.
public struct AdminClient: Sendable {
    public static let defaultSocket = "/run/tongban/admin.sock"

    public let socketPath: String

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    public func get<T: Decodable>(_ path: String, as type: T.Type, timeoutSeconds: Int64 = 30) async throws(TongbanError) -> T {
        try await send(.GET, path, body: nil, as: type, timeoutSeconds: timeoutSeconds)
    }

    /// POSTs `body`; a 422 answer whose body decodes as `T` is returned too (it carries the problems found).
    public func post<T: Decodable>(_ path: String, body: Data, as type: T.Type, timeoutSeconds: Int64 = 600) async throws(TongbanError) -> T {
        try await send(.POST, path, body: body, as: type, timeoutSeconds: timeoutSeconds)
    }

    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, body requestBody: Data?, as type: T.Type,
                            timeoutSeconds: Int64) async throws(TongbanError) -> T {
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: path) else {
            throw TongbanError(.configInvalid, "invalid admin socket path \(socketPath)")
        }
        guard FileManager.default.fileExists(atPath: socketPath) else {
            throw TongbanError(.daemonUnreachable, "cannot reach the daemon at \(socketPath): no such socket. Is tongband running? (--socket picks another)")
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(timeout: .init(connect: .seconds(2), read: .seconds(timeoutSeconds))))
        let body: ByteBuffer
        let status: HTTPResponseStatus
        do {
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = method
            if let requestBody { request.body = .bytes(ByteBuffer(bytes: requestBody)) }
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            status = response.status
            body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            let why = FileManager.default.fileExists(atPath: socketPath)
                ? "\(error). Is tongband running, and may this user open the socket (group tongban)?"
                : "there is no socket there. Is tongband running, and is this its listen.admin (--socket, $TONGBANCTL_SOCKET)?"
            throw TongbanError(.daemonUnreachable, "cannot reach the daemon at \(socketPath): \(why)")
        }
        let data = Data(body.readableBytesView)
        guard status == .ok || status == .unprocessableEntity else {
            if let problem = try? JSONCoding.decoder().decode(Problem.self, from: data) {
                throw TongbanError(TongbanError.Code(rawValue: problem.code) ?? .internalError, problem.detail ?? problem.title)
            }
            throw TongbanError(.internalError, "daemon answered \(status.code) for \(path)")
        }
        do { return try JSONCoding.decoder().decode(T.self, from: data) } catch {
            throw TongbanError(.internalError, "daemon answered \(path) with an unreadable document: \(error)")
        }
    }
}
