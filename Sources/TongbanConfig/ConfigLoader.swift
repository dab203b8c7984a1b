import Foundation
import TongbanCore
import Yams

/// Reads `tongband.yaml` into a `GatewayConfiguration`, collecting every problem with its key and line.
///
/// Unknown keys are errors (a typo must not silently fall back to a default). Any scalar key can be
/// overridden from the environment: `listen.peer.port` by `TONGBAN_LISTEN_PEER_PORT`,
/// `tls.federationRoots` by `TONGBAN_TLS_FEDERATION_ROOTS` (comma-separated).
public enum ConfigLoader {
    /// Environment variables with this prefix are overrides; any that matches no key is a problem.
    public static let environmentPrefix = "TONGBAN_"
    /// Environment variables with the prefix that are not configuration keys.
    static let nonKeyVariables: Set<String> = ["TONGBAN_CONFIG"]

    public struct Result: Sendable {
        public let configuration: GatewayConfiguration?
        public let problems: [ConfigProblem]
    }

    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return Result(configuration: nil, problems: [ConfigProblem(key: "(file)", message: "\(path): \(exists ? "not readable" : "no such file")")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Result(configuration: nil, problems: [ConfigProblem(key: "(file)", message: "\(path): not UTF-8 text")])
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return parse(yaml: text, baseDirectory: base, environment: environment)
    }

    public static func parse(yaml text: String, baseDirectory: String, environment: [String: String] = [:]) -> Result {
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            return Result(configuration: nil, problems: [ConfigProblem(key: "(file)", message: "not valid YAML: \(error)")])
        }
        var reader = YAMLReader(environment: environment.filter { $0.key.hasPrefix(environmentPrefix) && !nonKeyVariables.contains($0.key) },
                                baseDirectory: baseDirectory)
        let configuration = GatewaySchema.read(root, with: &reader)
        reader.reportUnusedEnvironment()
        return Result(configuration: reader.problems.isEmpty ? configuration : nil, problems: reader.problems)
    }
}
