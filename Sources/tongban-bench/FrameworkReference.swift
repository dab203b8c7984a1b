import Foundation
import TongbanClient

/// The TLS and HTTP stacks Tongban is built on, serving the same bodies as nginx with nothing else — no
/// signatures, no lookup, no audit — in a process of their own pinned like the server: what the framework
/// alone costs per request, between nginx and `identity-raw`.
///
/// - `nio`: swift-nio's HTTP/1.1 pipeline over swift-nio-ssl, one channel handler answering from memory.
/// - `hummingbird`: Hummingbird 2 over the same stacks, one route, with Swift concurrency on NIO's event loop
///   as in `tongband`.
///
/// Both answer with gzip at zlib level 1 from 1 KiB when asked (as nginx and Tongban do).
///
/// - `nio-signed`: no bodies; `catalogue-304`'s signature work on the `nio` pipeline, without Hummingbird
///   (`SignedReferenceHandler`): what a peer listener rewritten as a plain channel pipeline could at best cost.
struct FrameworkReference {
    enum Kind: String, CaseIterable {
        case nio
        case hummingbird
        case nioSigned = "nio-signed"

        /// The references that serve the bodies to the bench's raw mode (`NAME-raw-1`, `NAME-raw-BATCH`).
        static let raw: [Kind] = [.nio, .hummingbird]
    }

    /// The keys of the `nio-signed` reference: the server's signing key (the gateway's own) and the certificate of the
    /// province that calls it, whose signatures it verifies; the `ETag` its `304` answers carry.
    struct Signing: Codable {
        var key: String
        var certificate: String
        var callerCertificate: String
        var etag: String
    }

    /// What the child process reads from `reference.json` in its directory.
    struct Settings: Codable {
        var port: Int
        var certificate: String
        var key: String
        var root: String
        var signing: Signing?
    }

    let kind: Kind
    let directory: String
    let port: Int
    var pid: Int32 = 0

    /// Writes the bodies (`www/NAME`) and the settings, starts `tongban-bench --serve-reference KIND` under
    /// `launcher` and waits for its port.
    static func start(kind: Kind, directory: String, bodies: [String: Data], certificate: String, key: String, root: String,
                      signing: Signing? = nil, launcher: [String]) async throws -> FrameworkReference {
        let fm = FileManager.default
        try? fm.removeItem(atPath: directory)
        try fm.createDirectory(atPath: directory + "/www", withIntermediateDirectories: true)
        for (name, body) in bodies { try body.write(to: URL(fileURLWithPath: directory + "/www/" + name)) }
        let port = try DaemonProcess.freePort()
        let settings = Settings(port: port, certificate: certificate, key: key, root: root, signing: signing)
        try JSONEncoder().encode(settings).write(to: URL(fileURLWithPath: directory + "/reference.json"))
        let command = launcher + [DaemonProcess.executableDirectory + "/tongban-bench", "--serve-reference", kind.rawValue, "--dir", directory]
        let log = directory + "/\(kind.rawValue).log"
        let pid = try ReferenceProcess.spawn(command, log: log)
        var reference = FrameworkReference(kind: kind, directory: directory, port: port, pid: pid)
        if try await ReferenceProcess.waitForListener(port: port, pid: pid) { return reference }
        await reference.stop()
        reference.pid = 0
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw BenchError("the \(kind.rawValue) reference did not start (see \(log)): \(output.suffix(400))")
    }

    func stop() async {
        if pid > 0 { _ = await DaemonProcess.stop(pid, grace: .seconds(2)) }
    }
}
