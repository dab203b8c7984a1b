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
                        break
                    }
                } catch {
                    note(certificateKey, "\(certificatePath): \(error.message)")
                    break
                }
            }
        }

        if let file = c.catalogueFile {
            for problem in CatalogueLoader.load(path: file).problems {
                problems.append(ConfigProblem(key: problem.key, line: problem.line, message: problem.message, source: problem.source ?? file))
            }
        }
        for (key, path) in [("federation.file", c.federation.file), ("federation.hubCA", c.federation.hubCA)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) { note(key, "\(path) does not exist or is not readable") }
        }
        if let next = c.nextSigning {
            let chain = attempt("signing.next.certificate") { () throws(TongbanError) in try PEMFile.readCertificates(next.certificate) }
            if attempt("signing.next.key", { () throws(TongbanError) in try MessageSigningKey(pem: try PEMFile.readText(next.key)) }) != nil,
               let leaf = chain?.first {
                if let key = try? PEMFile.readPrivateKey(next.key), key.publicKey != leaf.publicKey {
                    note("signing.next.key", "\(next.key) is not the private key of \(next.certificate)")
                }
                if !roots.isEmpty {
                    do {
                        let province = try await trust.verify(leaf, role: .signing, at: now)
                        if province != c.province { note("signing.next.certificate", "\(next.certificate) speaks for province \(province), not \(c.province)") }
                    } catch { note("signing.next.certificate", "\(next.certificate): \(error.message)") }
                }
            }
        }
        if let problem = directoryProblem(c.stateDirectory, createIfMissing: false) {
            note("state.directory", problem)
        } else {
            for problem in stateFileProblems(c.stateDirectory) { note("state.directory", problem) }
        }
        let codes = c.departments.map(\.code)
        for code in Set(codes) where codes.filter({ $0 == code }).count > 1 {
            note("departments", "department code \(code) is listed \(codes.filter { $0 == code }.count) times: each department once")
        }
        let socketDirectory = URL(fileURLWithPath: c.adminSocket).deletingLastPathComponent().path
        if let problem = directoryProblem(socketDirectory, createIfMissing: false) { note("listen.admin", problem) }
        return problems
    }

    /// The daemon's files in the state directory that exist must be regular files it can read and write (it runs
    /// `--check-config` as its own user, as `ExecStartPre`), and the audit secret must be 32 bytes: found here,
    /// not as a SQLite error at start.
    static func stateFileProblems(_ directory: String) -> [String] {
        var problems: [String] = []
        for name in StateFiles.all {
            let path = directory + "/" + name
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            guard attributes[.type] as? FileAttributeType == .typeRegular else {
                problems.append("\(path) is not a regular file")
                continue
            }
            if access(path, R_OK | W_OK) != 0 {
                let owner = (attributes[.ownerAccountName] as? String) ?? (attributes[.ownerAccountID] as? Int).map(String.init) ?? "?"
                let mode = String((attributes[.posixPermissions] as? Int) ?? 0, radix: 8)
                problems.append("\(path) is not readable and writable by this user (owner \(owner), mode \(mode)): "
                                + "chown it to the daemon's user (tongban)")
            }
            if name == StateFiles.auditSecret, let size = attributes[.size] as? Int, size != StateFiles.auditSecretSize {
                problems.append("\(path) has \(size) bytes, not \(StateFiles.auditSecretSize): restore the audit secret from the backup (it is never replaced)")
            }
        }
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
