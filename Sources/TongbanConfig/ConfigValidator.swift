import Foundation
import TongbanCore
import TongbanGM
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

        // The TLS key pair: both directions, this province.
        let tlsChain = attempt("tls.certificate") { () throws(TongbanError) in try PEMFile.readCertificates(c.tls.certificate) }
        let tlsKey = attempt("tls.key") { () throws(TongbanError) in try PEMFile.readPrivateKey(c.tls.key) }
        if let mode = filePermissions(c.tls.key), mode & 0o004 != 0 {
            note("tls.key", "\(c.tls.key) is readable by everyone (mode \(String(mode, radix: 8))): chmod 0600 or 0640")
        }
        if let leaf = tlsChain?.first {
            if let tlsKey, tlsKey.publicKey != leaf.publicKey { note("tls.key", "\(c.tls.key) is not the private key of \(c.tls.certificate)") }
            if !roots.isEmpty {
                for role in [FederationTrust.Role.tlsServer, .tlsClient] {
                    if let problem = await Self.provinceProblem(leaf, intermediates: Array(tlsChain!.dropFirst()), role: role, trust: trust,
                                                                 province: c.province, path: c.tls.certificate, at: now) {
                        note("tls.certificate", problem)
                        break
                    }
                }
            }
        }
        // The national algorithms come from the system's libcrypto: check it computes them before relying on them.
        if c.auditHash == .sm3 { attempt("audit.hash") { () throws(TongbanError) in try GMSelfTest.run() } }
        // Every signing key: `signing`, `signing.next`, `signing.additional[i]`.
        let signingSections = ["signing"] + (c.nextSigning == nil ? [] : ["signing.next"])
            + c.additionalSigning.indices.map { "signing.additional[\($0)]" }
        for (section, files) in zip(signingSections, c.allSigning) {
            if let mode = filePermissions(files.key), mode & 0o004 != 0 {
                note(section + ".key", "\(files.key) is readable by everyone (mode \(String(mode, radix: 8))): chmod 0600 or 0640")
            }
            guard let key = attempt(section + ".key", { () throws(TongbanError) in
                let text = try PEMFile.readText(files.key)
                do throws(TongbanError) { return try MessageSigningKey(pem: text) } catch { throw TongbanError(error.code, "\(files.key): \(error.message)") }
            }) else { continue }
            if case .sm2 = key, c.auditHash != .sm3 {
                attempt(section + ".key") { () throws(TongbanError) in try GMSelfTest.run() }
            }
            guard let certificatePath = files.certificate else { continue }
            if case .sm2 = key {
                note(section + ".certificate", "\(files.key) is an SM2 key, which has no certificate here: remove \(section).certificate "
                     + "(the manifest carries its public key: tongbanctl federation key add --public-key)")
                continue
            }
            guard let chain = attempt(section + ".certificate", { () throws(TongbanError) in try PEMFile.readCertificates(certificatePath) }),
                  let leaf = chain.first else { continue }
            if let certified = try? PEMFile.readPrivateKey(files.key), certified.publicKey != leaf.publicKey {
                note(section + ".key", "\(files.key) is not the private key of \(certificatePath)")
            }
            if !roots.isEmpty, let problem = await Self.provinceProblem(leaf, intermediates: Array(chain.dropFirst()), role: .signing, trust: trust,
                                                                          province: c.province, path: certificatePath, at: now) {
                note(section + ".certificate", problem)
            }
        }

        if let file = c.catalogueFile {
            for problem in CatalogueLoader.load(path: file).problems {
                problems.append(ConfigProblem(key: problem.key, line: problem.line, message: problem.message, source: problem.source ?? file))
            }
        }
        if let file = c.calendarFile {
            do { _ = try WorkdayCalendar(contentsOf: URL(fileURLWithPath: file)) } catch { note("calendar.file", error.message) }
        }
        for (key, path) in [("federation.file", c.federation.file), ("federation.hubCA", c.federation.hubCA)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) { note(key, "\(path) does not exist or is not readable") }
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

    /// Why `leaf` does not chain to the roots for `role`, or speaks for another province than `province`; nil when it is fine.
    static func provinceProblem(_ leaf: Certificate, intermediates: [Certificate], role: FederationTrust.Role, trust: FederationTrust,
                                province: ProvinceCode, path: String, at now: Date) async -> String? {
        do {
            let named = try await trust.verify(leaf, intermediates: intermediates, role: role, at: now)
            return named == province ? nil : "\(path) speaks for province \(named), but province.code is \(province)"
        } catch {
            return "\(path): \(error.message)"
        }
    }
}
