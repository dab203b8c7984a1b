import ArgumentParser
import Foundation
import TongbanCore
import TongbanPKI
import X509

/// `tongbanctl federation`: the federation authority's tooling (the national hub's operator). It edits a draft of
/// the federation manifest in an authority directory and signs it as the manifest every gateway runs from.
struct FederationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federation",
        abstract: "The federation manifest: the authority's tooling (init … verify), and a gateway's copy (status, refresh).",
        discussion: """
            The authority directory (--dir) holds authority.key and authority.crt (the authority's credentials), root.crt \
            (the federation root), authority.json (settings: manifestDays), draft.json (the manifest being edited), \
            manifest.jws (the last signed manifest, to publish) and journal.log (one line per change). Every edit is \
            checked before draft.json is replaced; a refused one changes nothing. Edits take effect at the next 'sign'.
            """,
        subcommands: [Init.self, FederationMemberCommand.self, FederationKeyCommand.self, Revoke.self, FederationMattersCommand.self,
                      Sign.self, Show.self, Verify.self, Status.self, Refresh.self])
}

extension FederationCommand {
    /// `--province`'s code, or a refusal naming the option.
    static func province(_ text: String) throws(TongbanError) -> ProvinceCode {
        do { return try ProvinceCode(text) } catch { throw TongbanError(error.code, "--province '\(text)': \(error.message)") }
    }

    /// A certificate file given as `option`; a refusal names both.
    static func certificate(_ path: String, option: String) throws(TongbanError) -> Certificate {
        do { return try PEMFile.readCertificate(path) } catch { throw TongbanError(error.code, "\(option): \(error.message)") }
    }

    /// The manifest entry of the public key in PEM at `path` (SM2, P-256 or Ed25519), in force from `notBefore` (now)
    /// to `notAfter` (`days` later).
    static func publicKey(_ path: String, option: String, notBefore: Date?, notAfter: Date?, days: Int) throws(TongbanError) -> MemberSigningKey {
        let from = notBefore ?? Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        do {
            return try MemberSigningKey(publicKeyPEM: try PEMFile.readText(path), notBefore: from,
                                        notAfter: notAfter ?? from.addingTimeInterval(TimeInterval(days) * 86_400))
        } catch { throw TongbanError(error.code, "\(option) \(path): \(error.message)") }
    }

    /// An ISO 8601 time given as `option` (`2026-12-07T08:00:00Z`, or a date alone: midnight UTC).
    static func date(_ text: String?, option: String) throws(TongbanError) -> Date? {
        guard let text else { return nil }
        let full = ISO8601DateFormatter()
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard let date = full.date(from: text) ?? day.date(from: text) else {
            throw TongbanError(.manifestInvalid, "\(option) '\(text)': not an ISO 8601 time (e.g. 2026-12-07T08:00:00Z)")
        }
        return date
    }
}
