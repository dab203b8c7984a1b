import ArgumentParser
import Crypto
import Foundation
import TongbanCore

/// `tongbanctl token new`: a bearer token for a department system, and the SHA-256 the configuration keeps.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Bearer tokens for department systems on the local API.",
                                                    subcommands: [New.self])

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new token (give it to the department) and the entry for tongband.yaml.")
        @Option(name: .long, help: "The department's code.") var department: String
        @Option(name: .long, help: "The department's name.") var name: String

        func run() async throws {
            var bytes = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
            let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let hash = SHA256.hash(data: Data(token.utf8)).hexString
            print("token (give to the department; it is not stored anywhere): \(token)")
            print("add to tongband.yaml:")
            print("departments:\n  - code: \"\(department)\"\n    name: \(name)\n    tokenSHA256: \(hash)")
        }
    }
}
