import Foundation
import TongbanCore

/// The admin unix socket's file: refuse to start over a live daemon's socket, remove a stale one, and
/// restrict the socket to owner and group (0660) once bound.
enum AdminSocket {
    static func prepare(_ path: String) throws(TongbanError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o750])
        guard FileManager.default.fileExists(atPath: path) else { return }
        if isListening(path) {
            throw TongbanError(.configInvalid, "another daemon is listening on the admin socket \(path)")
        }
        unlink(path)
    }

    /// Adds owner-only bits to the process's umask (0077 at least).
    static func restrictUmask() {
        let previous = umask(0o077)
        umask(previous | 0o077)
    }

    static func restrict(_ path: String) {
        chmod(path, 0o660)
    }

    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }
}
