import Foundation
import TongbanCore
import TongbanPKI

/// The demo federation's authority directory: the draft manifest and the signed one every demo gateway reads.
/// `tongbanctl federation …` works on the same directory; the demo's tour uses this to suspend and lift a member.
public struct DemoAuthority: Sendable {
    public static let federationID = "tongban-demo"
    public static let draftFile = "draft.json"
    public static let manifestFile = "manifest.jws"
    /// Seconds between the demo gateways' manifest refreshes: a suspension takes effect within this.
    public static let refreshSeconds = 5
    /// Days a demo manifest is valid.
    public static let validityDays = 7

    public let directory: String
    public init(directory: String) { self.directory = directory }

    public func draft() throws -> FederationManifest {
        try JSONCoding.decoder().decode(FederationManifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + Self.draftFile)))
    }

    /// Signs `manifest` as the next serial (one above both the draft's and `manifest`'s), valid `validityDays` from now,
    /// and writes the draft and the signed manifest (each replaced whole). Returns the serial.
    @discardableResult
    public func sign(_ manifest: FederationManifest, with authority: FederationAuthority, now: Date = Date()) throws -> Int {
        var next = manifest
        next.serial = max(manifest.serial, (try? draft().serial) ?? 0) + 1
        next.issuedAt = now
        next.expiresAt = now.addingTimeInterval(Double(Self.validityDays) * 86_400)
        let problems = ManifestRules.problems(next)
        guard problems.isEmpty else { throw DemoError("the demo manifest breaks its rules: \(problems.map(\.description).joined(separator: "; "))") }
        let jws = try authority.sign(next)
        try PEMFile.replace(directory + "/" + Self.draftFile, with: String(decoding: try JSONCoding.encoder(pretty: true).encode(next), as: UTF8.self), mode: 0o644)
        try PEMFile.replace(directory + "/" + Self.manifestFile, with: jws + "\n", mode: 0o644)
        return next.serial
    }

    /// Sets `province`'s status in the draft and signs the next serial.
    @discardableResult
    public func setStatus(_ status: FederationMember.Status, of province: ProvinceCode) throws -> Int {
        var manifest = try draft()
        guard let index = manifest.members.firstIndex(where: { $0.province == province.rawValue }) else {
            throw DemoError("province \(province) is not a member of the demo federation")
        }
        manifest.members[index].status = status
        return try sign(manifest, with: try FederationAuthority(directory: directory))
    }
}
