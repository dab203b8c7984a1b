import Foundation
import TongbanCore
import TongbanPKI
import TongbanSigning
import X509

/// Checks what a parsed configuration points at: files readable, keys matching their certificates,
/// certificates chaining to a federation root with the right profile and naming the configured province,
/// directories usable. Every problem names the key it concerns.
public enum ConfigValidator {
    /// Parses the file and, when it parses, checks everything it names. An empty `problems` means valid.
    public static func check(path: String, environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()) async -> ConfigLoader.Result {
        let parsed = ConfigLoader.load(path: path, environment: environment)
        guard let configuration = parsed.configuration else { return parsed }
        let problems = await checkFiles(configuration, now: now)
        return ConfigLoader.Result(configuration: problems.isEmpty ? configuration : nil, problems: problems)
    }

    public static func checkFiles(_ c: GatewayConfiguration, now: Date = Date()) async -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func note(_ key: String, _ message: String) { problems.append(ConfigProblem(key: key, message: message)) }
        func attempt<T>(_ key: String, _ body: () throws(TongbanError) -> T) -> T? {
            do { return try body() } catch { note(key, error.message); return nil }
        }

        var roots: [Certificate] = []
        for (index, path) in c.tls.federationRoots.enumerated() {
            if let certificates = attempt("tls.federationRoots[\(index)]", { () throws(TongbanError) in try PEMFile.readCertificates(path) }) {
                roots += certificates
            }
        }
        let trust = FederationTrust(roots: roots)

        for (usage, certificateKey, keyKey, certificatePath, keyPath) in [
            (CertificateUsage.tls, "tls.certificate", "tls.key", c.tls.certificate, c.tls.key),
            (CertificateUsage.signing, "signing.certificate", "signing.key", c.signing.certificate, c.signing.key),
        ] {
            let chain = attempt(certificateKey) { () throws(TongbanError) in try PEMFile.readCertificates(certificatePath) }
            let key = attempt(keyKey) { () throws(TongbanError) in try PEMFile.readPrivateKey(keyPath) }
            if let mode = filePermissions(keyPath), mode & 0o004 != 0 {
                note(keyKey, "\(keyPath) is readable by everyone (mode \(String(mode, radix: 8))): chmod 0600 or 0640")
            }
            if usage == .signing, key != nil {
                do { _ = try MessageSigningKey(pem: try PEMFile.readText(keyPath)) } catch {
                    note(keyKey, "\(keyPath): \(error.message)")
                }
            }
            guard let chain else { continue }
            let leaf = chain[0]
            if let key, key.publicKey != leaf.publicKey {
                note(keyKey, "\(keyPath) is not the private key of \(certificatePath)")
            }
            guard !roots.isEmpty else { continue }
            let roles: [FederationTrust.Role] = usage == .tls ? [.tlsServer, .tlsClient] : [.signing]
            for role in roles {
                do {
                    let province = try await trust.verify(leaf, intermediates: Array(chain.dropFirst()), role: role, at: now)
                    if province != c.province {
                        note(certificateKey, "\(certificatePath) speaks for province \(province), but province.code is \(c.province)")
                    }
                } catch {
                    note(certificateKey, "\(certificatePath): \(error.message)")
                    break
                }
            }
        }

        if let file = c.catalogueFile {
            for problem in CatalogueLoader.load(path: file).problems {
                problems.append(ConfigProblem(key: "catalogue.file", line: problem.line, message: "\(file): \(problem.key): \(problem.message)"))
            }
        }
        problems += MattersLoader.load(path: c.mattersFile).problems
        if let problem = directoryProblem(c.stateDirectory, createIfMissing: false) { note("state.directory", problem) }
        let socketDirectory = URL(fileURLWithPath: c.adminSocket).deletingLastPathComponent().path
        if let problem = directoryProblem(socketDirectory, createIfMissing: false) { note("listen.admin", problem) }
        return problems
    }

    static func filePermissions(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    }

    /// Nil when `path` is a writable directory, or does not exist but its parent is one (the daemon creates it).
    static func directoryProblem(_ path: String, createIfMissing: Bool) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "\(path) is not a directory" }
            return access(path, W_OK) == 0 ? nil : "\(path) is not writable by this user"
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue, access(parent, W_OK) == 0 {
            return nil
        }
        return "\(path) does not exist and cannot be created (its parent is missing or not writable)"
    }
}
