import Foundation
import TongbanTestKit

/// The `openssl` command line: an implementation of SM2 and SM3 independent of how Tongban calls libcrypto.
enum OpenSSLCommand {
    static let path: String = {
        for candidate in ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/bin/openssl"
    }()

    /// Runs `openssl` with `arguments`; throws with its output unless it exits 0.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let (status, output) = try Spawn.capture(path, arguments)
        guard status == 0 else { throw DaemonFailure("openssl \(arguments.joined(separator: " ")) exited \(status): \(output)") }
        return output
    }

    /// Runs `openssl` with `arguments` and returns whether it exited 0.
    static func succeeds(_ arguments: [String]) throws -> Bool {
        try Spawn.capture(path, arguments).status == 0
    }
}
