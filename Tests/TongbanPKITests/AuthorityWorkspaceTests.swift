import Foundation
import Testing
import TongbanCore
@testable import TongbanPKI
import TongbanTestKit
import X509

/// The authority's directory (`AuthorityWorkspace`): each edit is checked, and each refusal names the field and
/// why and leaves `draft.json` byte for byte as it was.
@Suite struct AuthorityWorkspaceTests {
    struct Fixture {
        let directory: TemporaryDirectory
        let ca: FederationCA
        let workspace: AuthorityWorkspace
        let beijing: ProvinceCredentials
        let shanghai: ProvinceCredentials

        init(members: Bool = true) async throws {
            directory = try TemporaryDirectory("tba")
            ca = try FederationCA.create(name: "Workspace Root")
            workspace = try AuthorityWorkspace.create(directory: directory.file("authority"), ca: ca, federation: "cn-test")
            beijing = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("11"), dnsNames: [], ipAddresses: ["127.0.0.1"])
            shanghai = try ProvinceCredentials.issue(by: ca, province: try ProvinceCode("31"), dnsNames: [], ipAddresses: ["127.0.0.1"])
            if members {
                try await add(beijing, "https://127.0.0.1:7411")
                try await add(shanghai, "https://127.0.0.1:7431")
            }
        }

        func add(_ credentials: ProvinceCredentials, _ url: String) async throws {
            try await workspace.addMember(tlsCertificate: credentials.tlsCertificate, signingCertificate: credentials.certifiedSigningCertificate, urls: [url])
        }

        func draftBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: workspace.draftPath)) }

        /// Runs `edit`, which must be refused; returns the refusal's message after checking the draft did not change.
        func refusal(_ edit: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let before = try draftBytes()
            do {
                try await edit()
                Issue.record("the edit was not refused", sourceLocation: sourceLocation)
                return ""
            } catch let error as TongbanError {
                #expect(try draftBytes() == before, "draft.json changed on a refusal", sourceLocation: sourceLocation)
                return error.message
            }
        }
    }

    @Test func initWritesAnEmptyDraftAndRefusesASecondTime() async throws {
        let f = try await Fixture(members: false)
        defer { f.directory.remove() }
        let draft = try f.workspace.draft()
        #expect(draft.federation == "cn-test" && draft.serial == 0 && draft.members.isEmpty && draft.matters == Matter.defaults)
        #expect(try f.workspace.settings().manifestDays == 7)
        let why = try await f.refusal { try AuthorityWorkspace.create(directory: f.workspace.directory, ca: f.ca, federation: "cn-other") }
        #expect(why.contains("an authority exists"), "\(why)")
        #expect(try f.workspace.draft().federation == "cn-test")
    }

    @Test func aDuplicateProvinceIsRefused() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let why = try await f.refusal { try await f.add(f.shanghai, "https://127.0.0.1:7432") }
        #expect(why.contains("draft.json: members[2].province: province 31 is already a member (members[1]); use member update"), "\(why)")
    }

    @Test func aCertificateFromAForeignRootIsRefused() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let foreign = try ProvinceCredentials.issue(by: try FederationCA.create(name: "Foreign Root"), province: try ProvinceCode("44"),
                                                    dnsNames: [], ipAddresses: [])
        let why = try await f.refusal {
            try await f.workspace.addMember(tlsCertificate: foreign.tlsCertificate, signingCertificate: foreign.certifiedSigningCertificate,
                                            urls: ["https://127.0.0.1:7444"], tlsSource: "--tls-cert 44/tls.crt")
        }
        #expect(why.hasPrefix("--tls-cert 44/tls.crt: ") && why.contains("not valid as a TLS client certificate"), "\(why)")
        let mixed = try await f.refusal {
            try await f.workspace.addMember(tlsCertificate: f.beijing.tlsCertificate, signingCertificate: foreign.certifiedSigningCertificate,
                                            urls: ["https://127.0.0.1:7444"], signingSource: "--signing-cert 44/signing.crt")
        }
        #expect(mixed.hasPrefix("--signing-cert 44/signing.crt: "), "\(mixed)")
        let badURL = try await f.refusal {
            let hebei = try ProvinceCredentials.issue(by: f.ca, province: try ProvinceCode("13"), dnsNames: [], ipAddresses: [])
            try await f.add(hebei, "http://127.0.0.1:7413/v1")
        }
        #expect(badURL.contains("members[2].urls[0]: must be https://HOST[:PORT]"), "\(badURL)")
    }

    /// A rotation adds the next key while the current one is in force; a key that overlaps nothing would leave a gap.
    @Test func keysRotateWithoutAGap() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let province = try ProvinceCode("11")
        let now = Date()
        let later = try f.ca.issue(usage: .signing, province: province, publicKey: f.beijing.certifiedSigningKey.publicKey, validityDays: 30,
                                   now: now.addingTimeInterval(500 * 86_400))
        let gap = try await f.refusal { try await f.workspace.addKey(province: province, signingCertificate: later) }
        #expect(gap.contains("members[0].signingKeys[1].notBefore: a key that overlaps nothing"), "\(gap)")
        let other = try await f.refusal { try await f.workspace.addKey(province: province, signingCertificate: f.shanghai.certifiedSigningCertificate) }
        #expect(other.contains("names province 31, not 11"), "\(other)")
        let twice = try await f.refusal { try await f.workspace.addKey(province: province, signingCertificate: f.beijing.certifiedSigningCertificate) }
        #expect(twice.contains("is listed already"), "\(twice)")

        let next = try f.ca.issue(usage: .signing, province: province, publicKey: f.beijing.certifiedSigningKey.publicKey, validityDays: 397)
        let key = try await f.workspace.addKey(province: province, signingCertificate: next)
        let old = f.beijing.certifiedSigningCertificate.sha256Fingerprint
        try f.workspace.retireKey(province: province, kid: old, at: now.addingTimeInterval(60))
        #expect(try f.workspace.draft().members[0].signingKeys[0].notAfter == AuthorityWorkspace.wholeSeconds(now.addingTimeInterval(60)))
        let last = try await f.refusal { try f.workspace.retireKey(province: province, kid: key.kid, at: now.addingTimeInterval(120)) }
        #expect(last.contains("the province's last key in force"), "\(last)")
    }

    @Test func aRevocationGivesItsReasonAndNamesAKnownKey() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let kid = f.shanghai.certifiedSigningCertificate.sha256Fingerprint
        let empty = try await f.refusal { try f.workspace.revoke(.key, id: kid, reason: "  ") }
        #expect(empty.contains("revocations[0].reason: a revocation gives its reason"), "\(empty)")
        let unknown = try await f.refusal { try f.workspace.revoke(.key, id: String(repeating: "ab", count: 32), reason: "lost") }
        #expect(unknown.contains("revocations[0].id: key abab"), "\(unknown)")
        try f.workspace.revoke(.key, id: kid, reason: "key compromised")
        try f.workspace.revoke(certificate: f.shanghai.tlsCertificate, reason: "host decommissioned")
        let again = try await f.refusal { try f.workspace.revoke(.certificate, id: "00:" + f.shanghai.tlsCertificate.serialHex, reason: "again") }
        #expect(again.contains("is revoked already (revocations[1])"), "\(again)")
        let revocations = try f.workspace.draft().revocations
        #expect(revocations.map(\.kind) == [.key, .certificate] && revocations[1].id == f.shanghai.tlsCertificate.serialHex)
    }

    @Test func suspensionNeedsAReasonAndIsLifted() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let shanghai = try ProvinceCode("31")
        let why = try await f.refusal { try f.workspace.setStatus(province: shanghai, .suspended) }
        #expect(why.contains("members[1].status: a suspension gives its reason"), "\(why)")
        try f.workspace.setStatus(province: shanghai, .suspended, reason: "audit overdue")
        #expect(try f.workspace.draft().members[1].status == .suspended)
        let twice = try await f.refusal { try f.workspace.setStatus(province: shanghai, .suspended, reason: "again") }
        #expect(twice.contains("is suspended already"), "\(twice)")
        try f.workspace.setStatus(province: shanghai, .active)
        #expect(try f.workspace.draft().members[1].status == .active)
        let journal = try String(contentsOfFile: f.workspace.path(AuthorityWorkspace.journalFile), encoding: .utf8)
        #expect(journal.contains("member suspend 31: audit overdue") && journal.contains("member resume 31"), "\(journal)")
    }

    @Test func signIncrementsTheSerialAndPublishesAVerifiedManifest() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let first = try await f.workspace.sign()
        #expect(first.manifest.serial == 1 && first.manifest.members.count == 2)
        #expect(first.manifest.expiresAt.timeIntervalSince(first.manifest.issuedAt) == 7 * 86_400)
        #expect(try f.workspace.draft().serial == 1)
        let published = try await f.workspace.signed()
        #expect(published?.manifest == first.manifest && published?.jws == first.jws)

        // An unchanged draft may be signed again (a refresh before expiry); a draft whose serial went back
        // (restored from a backup) still signs above what was published.
        var draft = try f.workspace.draft()
        draft.serial = 0
        try f.workspace.save(draft)
        let second = try await f.workspace.sign(days: 2)
        #expect(second.manifest.serial == 2)
        #expect(second.manifest.expiresAt.timeIntervalSince(second.manifest.issuedAt) == 2 * 86_400)
    }

    @Test func signRefusesABrokenDraftAndWritesNothing() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        var draft = try f.workspace.draft()
        draft.protocol.signatureWindowSeconds = 5
        try f.workspace.save(draft)
        let why = try await f.refusal { _ = try await f.workspace.sign() }
        #expect(why.contains("draft.json: protocol.signatureWindowSeconds: must be within"), "\(why)")
        #expect(!FileManager.default.fileExists(atPath: f.workspace.signedPath))
        #expect(try f.workspace.draft().serial == 0)
    }

    @Test func editsAreRefusedByField() async throws {
        let f = try await Fixture()
        defer { f.directory.remove() }
        let beijing = try ProvinceCode("11")
        let nothing = try await f.refusal { try await f.workspace.updateMember(province: beijing) }
        #expect(nothing.contains("members[0]: nothing to update"), "\(nothing)")
        let onlyPin = TLSPin.of(f.beijing.tlsCertificate)
        let lastPin = try await f.refusal { try await f.workspace.updateMember(province: beijing, removePin: onlyPin) }
        #expect(lastPin.contains("members[0].tlsPins[0]: the province's only TLS pin"), "\(lastPin)")
        let unknown = try await f.refusal { try f.workspace.removeMember(province: try ProvinceCode("44")) }
        #expect(unknown.contains("province 44 is not a member"), "\(unknown)")
        let empty = try await f.refusal { try f.workspace.setMatters([Matter(code: "x", name: "X", needs: [:])]) }
        #expect(empty.contains("matters[0].needs"), "\(empty)")

        let renewed = try ProvinceCredentials.issue(by: f.ca, province: beijing, dnsNames: [], ipAddresses: [])
        let member = try await f.workspace.updateMember(province: beijing, urls: ["https://gw.bj.example:7443/"],
                                                        addTLSCertificate: renewed.tlsCertificate)
        #expect(member.tlsPins.count == 2 && member.urls == ["https://gw.bj.example:7443"])
        try await f.workspace.updateMember(province: beijing, removePin: onlyPin)
        try f.workspace.removeMember(province: try ProvinceCode("31"))
        #expect(try f.workspace.draft().members.map(\.province) == ["11"])
    }
}
