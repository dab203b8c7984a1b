import Foundation
import TongbanCore

/// Keeps the last good manifest in the state directory, written whole or not at all: a temporary file, flushed
/// to the disk, renamed over the old copy, and the directory flushed, so that a power loss leaves the old copy or
/// the new one, never an empty file.
enum FederationPersistence {
    static func save(_ jws: String, stateDirectory: String) throws(TongbanError) {
        let path = stateDirectory + "/" + StateFiles.federationManifest
        let temporary = path + ".new"
        func fail(_ what: String) -> TongbanError {
            TongbanError(.storeUnavailable, "\(path): cannot keep the last good manifest (\(what): \(String(cString: strerror(errno))))")
        }
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("create") }
        let bytes = Array((jws + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 { if errno == EINTR { continue }; close(fd); unlink(temporary); throw fail("write") }
            written += n
        }
        guard fsync(fd) == 0 else { close(fd); unlink(temporary); throw fail("fsync") }
        close(fd)
        guard rename(temporary, path) == 0 else { unlink(temporary); throw fail("rename") }
        let directory = open(stateDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { _ = fsync(directory); close(directory) }
    }
}
