import Crypto
import Foundation
import TongbanCore
import X509

/// The federation authority's directory (`tongbanctl federation … --dir DIR`), the national hub operator's
/// working copy of the federation:
///
/// - `authority.key`, `authority.crt`: the authority's signing credentials (`FederationAuthority`);
/// - `root.crt`: the federation root, which every certificate added must chain to;
/// - `authority.json`: the directory's settings (`AuthoritySettings`: the manifest's lifetime);
/// - `draft.json`: the manifest being edited (pretty JSON); its serial is the last one signed (0 before the first);
/// - `manifest.jws`: the last signed manifest, what is published to the gateways;
/// - `journal.log`: one line per change, with its time (and a suspension's or revocation's reason).
///
/// Each edit loads the draft, applies one of the pure edits (`FederationManifest+Edits.swift`) and writes the
/// draft atomically, only when nothing refused it: a refusal leaves every file as it was.
public struct AuthorityWorkspace: Sendable {
    public static let draftFile = "draft.json"
    public static let signedFile = "manifest.jws"
    public static let settingsFile = "authority.json"
    public static let rootFile = "root.crt"
    public static let journalFile = "journal.log"

    public let directory: String

    /// The workspace in `directory`; nothing is read until it is used.
    public init(directory: String) {
        self.directory = directory
    }

    public func path(_ file: String) -> String { directory + "/" + file }
    public var draftPath: String { path(Self.draftFile) }
    public var signedPath: String { path(Self.signedFile) }

    /// A new authority directory: the authority's key and certificate from `ca`, a copy of its root, the settings,
    /// and an empty draft of `federation` (serial 0, default protocol settings, no members, `matters`).
    /// Refused when `directory` holds an authority key already; nothing is written then.
    @discardableResult
    public static func create(directory: String, ca: FederationCA, federation: String, authorityName: String = "Tongban Federation Authority",
                              validityDays: Int = 825, manifestDays: Int = AuthoritySettings.defaultManifestDays,
                              matters: [Matter] = Matter.defaults, now: Date = Date()) throws(TongbanError) -> AuthorityWorkspace {
        let workspace = AuthorityWorkspace(directory: directory)
        let keyPath = workspace.path(FederationAuthority.keyFile)
        guard !FileManager.default.fileExists(atPath: keyPath) else {
            throw TongbanError(.manifestInvalid, "\(keyPath): an authority exists in \(directory) already; refusing to replace it")
        }
        guard AuthoritySettings.manifestDaysRange.contains(manifestDays) else {
            throw TongbanError(.manifestInvalid,
                               "authority.json: manifestDays: must be within \(AuthoritySettings.manifestDaysRange), not \(manifestDays)")
        }
        let now = Self.wholeSeconds(now)
        let draft = FederationManifest(federation: federation, serial: 0, issuedAt: now, expiresAt: now, matters: matters)
        if let problem = ManifestRules.problems(draft).first(where: { $0.field == "federation" || $0.field.hasPrefix("matters") }) {
            throw TongbanError(.manifestInvalid, "\(workspace.draftPath): \(problem)")
        }
        do {
            let authority = try FederationAuthority.create(by: ca, name: authorityName, validityDays: validityDays, now: now)
            try authority.write(to: directory)
            try PEMFile.write(ca.certificate, to: workspace.path(rootFile))
            try workspace.write(JSONCoding.encoder(pretty: true).encode(AuthoritySettings(manifestDays: manifestDays)), to: settingsFile)
            try workspace.save(draft)
        } catch let error as TongbanError {
            throw error
        } catch {
            throw TongbanError(.manifestInvalid, "\(directory): cannot create the authority (\(error))")
        }
        workspace.journal("init federation \(federation)")
        return workspace
    }

    // MARK: Reading

    /// `draft.json`.
    public func draft() throws(TongbanError) -> FederationManifest {
        let data = try read(Self.draftFile)
        do { return try JSONCoding.decoder().decode(FederationManifest.self, from: data) } catch {
            throw TongbanError(.manifestInvalid, "\(draftPath): not a federation manifest (\(error))")
        }
    }

    /// `authority.json`, or the defaults when it is absent.
    public func settings() throws(TongbanError) -> AuthoritySettings {
        guard FileManager.default.fileExists(atPath: path(Self.settingsFile)) else { return AuthoritySettings() }
        let data = try read(Self.settingsFile)
        do { return try JSONCoding.decoder().decode(AuthoritySettings.self, from: data) } catch {
            throw TongbanError(.manifestInvalid, "\(path(Self.settingsFile)): not the authority's settings (\(error))")
        }
    }

    /// The federation roots of `root.crt`, as a trust.
    public func trust() throws(TongbanError) -> FederationTrust {
        FederationTrust(roots: try PEMFile.readCertificates(path(Self.rootFile)))
    }

    public func authority() throws(TongbanError) -> FederationAuthority { try FederationAuthority(directory: directory) }

    /// `manifest.jws`, verified against `root.crt`; nil before the first `sign`.
    public func signed(at time: Date = Date()) async throws(TongbanError) -> VerifiedManifest? {
        guard FileManager.default.fileExists(atPath: signedPath) else { return nil }
        let text = String(decoding: try read(Self.signedFile), as: UTF8.self)
        do { return try await ManifestJWS.verify(text, trust: try trust(), at: time) } catch {
            throw TongbanError(error.code, "\(signedPath): \(error.message)")
        }
    }

    // MARK: Editing

    /// Applies `change` to the draft and saves the result; `note` goes to the journal. A refusal names the draft
    /// file, the field and the reason; so does an edit that would leave the draft breaking a manifest rule it met.
    @discardableResult
    public func edit(_ note: String,
                     _ change: (FederationManifest) throws(ManifestProblem) -> FederationManifest) throws(TongbanError) -> FederationManifest {
        let old = try draft()
        let new: FederationManifest
        do { new = try change(old) } catch { throw TongbanError(.manifestInvalid, "\(draftPath): \(error)") }
        let before = Set(Self.editProblems(old).map(\.description))
        if let problem = Self.editProblems(new).first(where: { !before.contains($0.description) }) {
            throw TongbanError(.manifestInvalid, "\(draftPath): \(problem)")
        }
        try save(new)
        journal(note)
        return new
    }

    /// The rules a draft must keep between signings: all of `ManifestRules` but the serial and the dates, which
    /// `sign` sets.
    static func editProblems(_ draft: FederationManifest) -> [ManifestProblem] {
        ManifestRules.problems(draft).filter { !["serial", "expiresAt"].contains($0.field) }
    }

    /// Writes the draft atomically (pretty JSON, sorted keys).
    func save(_ draft: FederationManifest) throws(TongbanError) {
        do { try write(JSONCoding.encoder(pretty: true).encode(draft), to: Self.draftFile) } catch let error as TongbanError { throw error } catch {
            throw TongbanError(.manifestInvalid, "\(draftPath): cannot encode the draft (\(error))")
        }
    }

    /// Replaces `file` atomically (a sibling temporary file renamed over it).
    func write(_ data: Data, to file: String) throws(TongbanError) {
        var text = String(decoding: data, as: UTF8.self)
        if !text.hasSuffix("\n"), file != Self.signedFile { text += "\n" }
        do { try PEMFile.replace(path(file), with: text, mode: 0o644) } catch let error as TongbanError { throw error } catch {
            throw TongbanError(.manifestInvalid, "\(path(file)): cannot write (\(error))")
        }
    }

    func read(_ file: String) throws(TongbanError) -> Data {
        guard let data = FileManager.default.contents(atPath: path(file)) else {
            let exists = FileManager.default.fileExists(atPath: path(file))
            throw TongbanError(.manifestInvalid, exists ? "\(path(file)): not readable"
                               : "\(path(file)): no such file (is \(directory) an authority directory? see federation init)")
        }
        return data
    }

    /// Appends `line` with the time to `journal.log`; the journal is a record for people, so failing to write it
    /// does not undo the change.
    func journal(_ line: String, now: Date = Date()) {
        let entry = ISO8601.string(now) + " " + line.replacingOccurrences(of: "\n", with: " ") + "\n"
        let journalPath = path(Self.journalFile)
        if !FileManager.default.fileExists(atPath: journalPath) { _ = FileManager.default.createFile(atPath: journalPath, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: journalPath) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(entry.utf8))
    }

    /// Manifest times are whole seconds (the JSON carries no fraction), so a draft read back equals the one written.
    static func wholeSeconds(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
}
