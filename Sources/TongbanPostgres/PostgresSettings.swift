import Foundation
import NIOSSL
import PostgresNIO
import TongbanCore

/// How to reach the province's PostgreSQL database: `store.url` and its companions (docs/deployment.md,
/// "Two or more machines").
///
/// `url` is `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE][&host=/socket/dir]`. `sslmode` is
/// `disable`, `require` (encrypted, server not checked) or `verify-full` (the default: the server's certificate
/// checked against `caFile`, or the system's roots, and its name). A `host` parameter that starts with `/` names
/// the directory of a Unix socket (`.s.PGSQL.PORT` in it), as libpq does. The password is better kept out of
/// the configuration file, in `passwordFile` (mode 0600).
public struct PostgresSettings: Sendable {
    public enum TLSMode: String, Sendable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var socketDirectory: String?
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var caFile: String?
    /// Connections each replica keeps at most (`store.poolSize`).
    public var poolSize: Int
    /// How long grants and resource states are cached (`store.cacheSeconds`): what a change on another replica
    /// waits at most to be seen here.
    public var cacheSeconds: Int
    /// How long a start waits for the database to answer (`store.connectSeconds`).
    public var connectSeconds: Int

    public init(url: String, passwordFile: String? = nil, caFile: String? = nil, poolSize: Int = 10, cacheSeconds: Int = 1,
                connectSeconds: Int = 30) throws(TongbanError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme) else {
            throw TongbanError(.configInvalid, "store.url must be postgresql://USER@HOST[:PORT]/DATABASE, not \(Self.redact(url))")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw TongbanError(.configInvalid, "store.url names no database (postgresql://USER@HOST/DATABASE)") }
        guard let user = components.user, !user.isEmpty else { throw TongbanError(.configInvalid, "store.url names no user (postgresql://USER@HOST/DATABASE)") }
        let socketHost = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard socketHost != nil || !(components.host ?? "").isEmpty else {
            throw TongbanError(.configInvalid, "store.url names no host (postgresql://USER@HOST/DATABASE, or ?host=/socket/directory)")
        }
        let mode = query["sslmode"] ?? (socketHost != nil ? "disable" : "verify-full")
        guard let tls = TLSMode(rawValue: mode) else {
            throw TongbanError(.configInvalid, "store.url: sslmode \(mode) is not one of disable, require, verify-full")
        }
        var password = components.password.map { $0.removingPercentEncoding ?? $0 }
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw TongbanError(.configInvalid, "store.passwordFile \(passwordFile) cannot be read")
            }
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard (1...1000).contains(poolSize) else { throw TongbanError(.configInvalid, "store.poolSize must be 1 to 1000, not \(poolSize)") }
        guard (0...60).contains(cacheSeconds) else { throw TongbanError(.configInvalid, "store.cacheSeconds must be 0 to 60, not \(cacheSeconds)") }
        self.host = components.host ?? ""
        self.port = components.port ?? Int(query["port"] ?? "") ?? 5432
        self.socketDirectory = socketHost
        self.user = user.removingPercentEncoding ?? user
        self.password = password
        self.database = database
        self.tls = tls
        self.caFile = caFile
        self.poolSize = poolSize
        self.cacheSeconds = cacheSeconds
        self.connectSeconds = connectSeconds
    }

    /// The URL without its password, for logs and errors.
    public var redactedURL: String {
        socketDirectory.map { "postgresql://\(user)@/\(database)?host=\($0)&port=\(port)" } ?? "postgresql://\(user)@\(host):\(port)/\(database)"
    }

    static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(an unreadable URL)" }
        if components.password != nil { components.password = "…" }
        return components.string ?? "(an unreadable URL)"
    }

    /// The TLS context `sslmode` asks for; nil for none.
    func tlsConfiguration() throws(TongbanError) -> TLSConfiguration? {
        switch tls {
        case .disable:
            return nil
        case .require:
            var context = TLSConfiguration.makeClientConfiguration()
            context.certificateVerification = .none
            return context
        case .verifyFull:
            var context = TLSConfiguration.makeClientConfiguration()
            context.certificateVerification = .fullVerification
            if let caFile {
                do { context.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) } catch {
                    throw TongbanError(.configInvalid, "store.caFile \(caFile) cannot be read as PEM certificates: \(error)")
                }
            }
            return context
        }
    }

    func clientConfiguration() throws(TongbanError) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            let tlsSetting: PostgresClient.Configuration.TLS = try tlsConfiguration().map { .require($0) } ?? .disable
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
        }
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 1
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// The same settings for one connection of its own (the start's check, which reports why a connection fails).
    func connectionConfiguration() throws(TongbanError) -> PostgresConnection.Configuration {
        if let socketDirectory {
            return .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        guard let context = try tlsConfiguration() else {
            return .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        do {
            return .init(host: host, port: port, username: user, password: password, database: database, tls: .require(try NIOSSLContext(configuration: context)))
        } catch {
            throw TongbanError(.configInvalid, "store: cannot set up TLS to PostgreSQL: \(error)")
        }
    }
}
