import ArgumentParser
import AsyncHTTPClient
import Foundation
import TongbanClient
import TongbanCore
import TongbanDemo
import NIOCore

/// `tongbanctl demo tour --dir DIR`: the whole job on a running demo federation — every catalogue, a
/// cross-province query and verify, a conditional request refused, two applications (one refused with its reason,
/// one approved, which creates the grant), the same request served, and the matching
/// audit entries on both sides.
struct DemoTour: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tour", abstract: "Walk through queries, grants and audits on a running demo federation.")
    @Option(name: .long, help: "Directory given to 'demo up'.") var dir: String

    static func fetch(_ url: String) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 8 << 20)
            try await client.shutdown()
            return String(buffer: body)
        } catch {
            try? await client.shutdown()
            throw TongbanError(.peerUnreachable, "cannot read \(url): \(error)")
        }
    }

    func run() async throws {
        let document: FederationDocument
        do { document = try DemoFederation(directory: dir).load() } catch { throw Console.fail(DemoError("no federation in \(dir): run 'tongbanctl demo up' first")) }
        guard document.provinces.count >= 2 else { throw Console.fail(DemoError("the tour needs two provinces")) }
        let asker = document.provinces[0], holder = document.provinces[1]
        let askerAdmin = AdminClient(socketPath: asker.adminSocket), holderAdmin = AdminClient(socketPath: holder.adminSocket)
        let requester = Requester(departmentCode: asker.code + "0105PSB", departmentName: "\(asker.name)公安局户政处", operatorId: "demo-operator")
        // In the demo, the second province shares marriage unconditionally and household records on condition.
        let openResource = DemoCatalogue.marriage, conditionalResource = DemoCatalogue.household
        let openSubject = holder.samples[openResource]?.first ?? "", conditionalSubject = holder.samples[conditionalResource]?.first ?? ""

        func step(_ title: String) { print("\n=== \(title)") }
        func send(_ endpoint: String, _ body: some Encodable) async throws -> OutboundResult {
            try await askerAdmin.post("/v1/outbound/\(endpoint)?peer=\(holder.code)", body: try JSONCoding.encoder().encode(body), as: OutboundResult.self)
        }
        do {
            step("\(asker.name) queries \(holder.name)'s marriage records (无条件共享) for 婚姻登记 — sensitive fields masked")
            let query = try await send("query", QueryRequest(resource: openResource, matter: "marriage-registration", requester: requester, subjects: [openSubject]))
            try Console.json(query)
            step("\(asker.name) asks \(holder.name) to verify a claim, without disclosing the value")
            try Console.json(try await send("verify", VerifyRequest(resource: openResource, matter: "marriage-registration", requester: requester,
                                                                     subject: openSubject, claims: ["status": "已婚"])))
            step("\(asker.name) queries \(holder.name)'s household records (有条件共享) for 户口迁移 — refused, no grant")
            let refused = try await send("query", QueryRequest(resource: conditionalResource, matter: "household-transfer", requester: requester, subjects: [conditionalSubject]))
            try Console.json(refused)
            try await applicationSteps(asker: asker, holder: holder, askerAdmin: askerAdmin, holderAdmin: holderAdmin, requester: requester,
                                       resource: conditionalResource, step: step)
            step("the same query again, with its case reference (办件编号) — served under the grant the approval created")
            let granted = try await send("query", QueryRequest(resource: conditionalResource, matter: "household-transfer", requester: requester, subjects: [conditionalSubject],
                                                                caseReference: "京户迁〔2026〕0417号"))
            try Console.json(granted)
            try await correctionSteps(asker: asker, holder: holder, askerAdmin: askerAdmin, holderAdmin: holderAdmin, requester: requester,
                                      resource: conditionalResource, subject: conditionalSubject, received: granted, step: step)
            step("\(asker.name)'s records of use (tongbanctl usage report): what it asked of whom, for which matter, and by which department")
            UsageCommand.printTable(try await askerAdmin.get("/v1/usage", as: UsageReport.self))
            step("the reciprocal picture at \(holder.name) (tongbanctl usage report --inbound)")
            UsageCommand.printTable(try await holderAdmin.get("/v1/usage?direction=in", as: UsageReport.self))
            for (name, admin, direction) in [(asker.name, askerAdmin, "outbound: the requester's record of use"), (holder.name, holderAdmin, "inbound")] {
                step("\(name)'s audit log (\(direction)) and its hash chain")
                // The data exchanges; the workflows' steps (applications, corrections) are in the same chain, counted below.
                let all = try await admin.get("/v1/audit?last=100", as: [AuditEntry].self)
                let entries = all.filter { ["query", "verify"].contains($0.endpoint) }.suffix(6)
                Console.table(["SEQ", "DIR", "PEER", "ENDPOINT", "MATTER", "RESOURCE", "DECISION", "REASON", "STATUS", "REQUEST ID"], entries.map {
                    [String($0.sequence), $0.direction.rawValue, $0.peer, $0.endpoint, $0.matter, $0.resource, $0.decision, $0.reasonCode, String($0.status), $0.requestId]
                })
                print("and \(all.count - all.filter { ["query", "verify"].contains($0.endpoint) }.count) entries of the applications' and "
                      + "corrections' steps, e.g. \(all.last { $0.endpoint.hasPrefix("applications/") }?.endpoint ?? "-") \(all.last { $0.endpoint.hasPrefix("applications/") }?.decision ?? "")")
                let verification = try await admin.get("/v1/audit/verify", as: AuditVerification.self)
                print(verification.ok ? "audit chain intact: \(verification.entries) entries" : "audit chain BROKEN at \(verification.firstBroken ?? 0)")
            }
            print("\nthe same request id (\(granted.requestId)) is in both logs, with the same request and response signatures.")
            if let entry = try await holderAdmin.get("/v1/audit?request=\(granted.requestId)", as: [AuditEntry].self).first {
                step("the signatures of that exchange (each province signs with its own key type; SM2 keys have no certificate: the manifest lists them)")
                print("request signed by \(asker.name) with \(Self.parameter("alg", in: entry.requestSignature)), "
                      + "keyid \(Self.parameter("keyid", in: entry.requestSignature).prefix(16))…")
                print("answer signed by \(holder.name) with \(Self.parameter("alg", in: entry.responseSignature)), "
                      + "keyid \(Self.parameter("keyid", in: entry.responseSignature).prefix(16))…")
            }

            step("\(holder.name) reloads its configuration, certificates and keys without a restart (tongbanctl reload)")
            let report = try await holderAdmin.post("/v1/reload", body: Data(), as: ReloadReport.self)
            print(report.applied ? "reloaded: " + (report.changes.isEmpty ? "nothing changed" : report.changes.joined(separator: "; ")) : "refused: \(report.problems)")
            try await federationSteps(document: document, asker: asker, holder: holder, requester: requester,
                                      subject: openSubject, resource: openResource, step: step)

            step("\(holder.name)'s metrics (GET \(holder.localURL)/metrics): exchanges and reciprocity")
            let text = try await Self.fetch(holder.localURL + "/metrics")
            for line in text.split(separator: "\n") where line.hasPrefix("tongban_exchanges_total") || line.hasPrefix("tongban_records_")
                || line.hasPrefix("tongban_federation_")
                || line.hasPrefix("tongban_refusals_total") || line.hasPrefix("tongban_audit_chain_entries") {
                print(line)
            }
        } catch { throw Console.fail(error) }
    }

    /// 有条件共享 by the rules (条例 2025): the asker applies through its gateway with purpose and basis; the holder's
    /// administrator refuses one application with its reason and approves the other, which creates the grant; the
    /// decision reaches the asker signed. The due date is counted in working days on the State Council's calendar.
    func applicationSteps(asker: FederationDocument.Province, holder: FederationDocument.Province, askerAdmin: AdminClient,
                          holderAdmin: AdminClient, requester: Requester, resource: String, step: (String) -> Void) async throws {
        func apply(_ purpose: String, fields: [String]) async throws -> SharingApplication {
            let draft = ApplicationDraft(peer: holder.code, resource: resource, matter: "household-transfer", fields: fields, purpose: purpose,
                                         basis: "《户口登记条例》第十条；跨省通办事项清单：户口迁移", days: 30, contact: "户政处 010-12345678",
                                         requester: requester)
            return try await askerAdmin.post("/v1/applications", body: try JSONCoding.encoder().encode(draft), as: ApplicationListing.self).application
        }
        step("\(asker.name) applies to \(holder.name) for household records (tongbanctl apply: purpose, legal basis, 30 days)")
        let wide = try await apply("办理户口迁入审核（全部字段）", fields: [])
        let narrow = try await apply("办理户口迁入审核", fields: ["name", "gender", "birthDate", "address"])
        for application in [wide, narrow] {
            print("\(application.id): \(application.state.rawValue), due \(application.dueDate) (\(holder.name) answers within 10 working days)")
        }
        let example = WorkdayCalendar.bundled.addingWorkingDays(10, to: CalendarDay(year: 2026, month: 9, day: 30)!)
        print("the count skips weekends and holidays and includes the worked weekend days: an application received on 2026-09-30 "
              + "would be due \(example.day) (国庆 10-01…10-07 off, Saturday 10-10 worked)")
        step("\(holder.name)'s administrator refuses the first, with its reason (tongbanctl applications refuse ID --reason …)")
        let refused = try await holderAdmin.post("/v1/applications/\(wide.id)/refuse", body: try JSONCoding.encoder().encode(
            ApplicationStatement(reason: "户口迁移只需姓名、性别、出生日期和住址，不提供全部字段", operatorId: "demo-admin")), as: ApplicationListing.self)
        print("\(refused.application.id): \(refused.application.state.rawValue) — \(refused.application.reason ?? "")")
        step("and approves the second (tongbanctl applications approve ID --clear name): the grant is created")
        let approved = try await holderAdmin.post("/v1/applications/\(narrow.id)/approve", body: try JSONCoding.encoder().encode(
            ApplicationApproval(clearFields: ["name"], days: 30, operatorId: "demo-admin")), as: ApplicationListing.self)
        print("\(approved.application.id): \(approved.application.state.rawValue); grant \(approved.application.grant?.id ?? "?"), "
              + "fields \(approved.application.grant?.fields.joined(separator: ",") ?? "")")
        // The decision travels to the asker signed (pushed at once, pulled as a fallback).
        var seen: [SharingApplication] = []
        for _ in 0..<50 {
            seen = try await askerAdmin.get("/v1/applications?direction=outgoing", as: [ApplicationListing].self).map(\.application)
            if seen.allSatisfy({ $0.state != .submitted }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        step("\(asker.name)'s view of its applications (tongbanctl applications list --outgoing)")
        Console.table(["ID", "PEER", "RESOURCE", "STATE", "DUE", "REASON"], seen.map {
            [$0.id, $0.peer, $0.resource, $0.state.rawValue, $0.dueDate.description, $0.reason ?? ""]
        })
    }

    /// 校核纠错: the asker flags a field it received as wrong; the holder cannot close it as corrected until the record
    /// really changes, edits the record, then closes it; the outcome reaches the asker signed.
    func correctionSteps(asker: FederationDocument.Province, holder: FederationDocument.Province, askerAdmin: AdminClient,
                         holderAdmin: AdminClient, requester: Requester, resource: String, subject: String, received: OutboundResult,
                         step: (String) -> Void) async throws {
        var seen = "?"
        if case .array(let records)? = received.answer["records"], case .object(let fields)? = records.first?["fields"],
           case .string(let gender)? = fields["gender"] { seen = gender }
        let claimed = seen == "男" ? "女" : "男"
        step("\(asker.name) flags a field it received as wrong (tongbanctl correction request): gender \(seen) → \(claimed), with evidence")
        let draft = CorrectionDraft(peer: holder.code, resource: resource, subject: subject, field: "gender", seen: seen, claimed: claimed,
                                    evidence: "申请人身份证与出生医学证明所载性别为\(claimed)", requester: requester)
        let requested = try await askerAdmin.post("/v1/corrections", body: try JSONCoding.encoder().encode(draft), as: CorrectionListing.self)
        let id = requested.correction.id
        print("\(id): \(requested.correction.state.rawValue), due \(requested.correction.dueDate) (10 working days)")
        step("\(holder.name) tries to close it as corrected before changing the record — refused")
        let resolution = CorrectionResolution(outcome: .corrected, reason: "已按出生医学证明更正性别", operatorId: "demo-admin")
        do {
            _ = try await holderAdmin.post("/v1/corrections/\(id)/resolve", body: try JSONCoding.encoder().encode(resolution), as: CorrectionListing.self)
            print("closed (unexpected)")
        } catch let error as TongbanError { print("refused: \(error.code.rawValue): \(error.message)") }
        step("\(holder.name) corrects the record (tongbanctl records set …), then closes the correction as corrected")
        let edit = RecordEdit(resource: resource, subject: subject, field: "gender", value: claimed)
        _ = try await holderAdmin.post("/v1/records/set", body: try JSONCoding.encoder().encode(edit), as: ImportReport.self)
        let closed = try await holderAdmin.post("/v1/corrections/\(id)/resolve", body: try JSONCoding.encoder().encode(resolution),
                                                as: CorrectionListing.self)
        print("\(id): \(closed.correction.state.rawValue) — \(closed.correction.reason ?? "")")
        var outcome = requested.correction
        for _ in 0..<50 {
            outcome = try await askerAdmin.get("/v1/corrections/\(id)", as: CorrectionListing.self).correction
            if outcome.state != .submitted { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        print("\(asker.name) sees \(id) as \(outcome.state.rawValue)")
    }

    /// The value of `name="…"` in a Signature-Input member, or "?".
    static func parameter(_ name: String, in fields: String) -> String {
        guard let start = fields.range(of: ";\(name)=\"") else { return "?" }
        return String(fields[start.upperBound...].prefix { $0 != "\"" })
    }

    /// The federation manifest at work: the authority suspends the holder, every gateway applies the new serial
    /// within one refresh (no restart, no reload), the holder is refused both ways; then the suspension is lifted.
    func federationSteps(document: FederationDocument, asker: FederationDocument.Province, holder: FederationDocument.Province,
                         requester: Requester, subject: String, resource: String, step: (String) -> Void) async throws {
        let askerAdmin = AdminClient(socketPath: asker.adminSocket), holderAdmin = AdminClient(socketPath: holder.adminSocket)
        let query = try JSONCoding.encoder().encode(QueryRequest(resource: resource, matter: "marriage-registration", requester: requester,
                                                                 subjects: [subject]))
        func ask() async -> (ok: Bool, text: String) {
            do {
                let result = try await askerAdmin.post("/v1/outbound/query?peer=\(holder.code)", body: query, as: OutboundResult.self)
                return (result.status == 200, "answered \(result.status)")
            } catch { return (false, "refused: \(error.code.rawValue): \(error.message)") }
        }
        let status = try await askerAdmin.get("/v1/federation", as: FederationStatus.self)
        step("the federation manifest: serial \(status.serial) of '\(status.federation)', \(status.members) members, signed by the authority in "
             + "\(document.authority) (tongbanctl federation show --dir \(document.authority))")
        let authority = DemoAuthority(directory: document.authority)
        step("the authority suspends \(holder.name) (tongbanctl federation member suspend --province \(holder.code) … ; federation sign)")
        let clock = ContinuousClock(), signedAt = clock.now
        let serial = try await authority.setStatus(.suspended, of: try ProvinceCode(holder.code), reason: "demo: suspected key compromise")
        print("signed serial \(serial); every gateway reads it within federation.refreshSeconds (\(DemoAuthority.refreshSeconds) s here)")
        var refusal = ""
        while clock.now - signedAt < .seconds(DemoAuthority.refreshSeconds * 3) {
            let (ok, text) = await ask()
            if !ok, text.contains("tongban.member.suspended") { refusal = text; break }
            try await Task.sleep(for: .milliseconds(250))
        }
        guard !refusal.isEmpty else { throw DemoError("the suspension did not take effect within \(DemoAuthority.refreshSeconds * 3) s") }
        print("\(asker.name) → \(holder.name) after \(String(format: "%.1f", DemoMeasures.seconds(clock.now - signedAt))) s: \(refusal)")
        // The suspended province is refused by the others too (its TLS handshake, or its request on an open connection).
        while (try? await holderAdmin.get("/v1/federation", as: FederationStatus.self).serial) ?? 0 < serial { try await Task.sleep(for: .milliseconds(250)) }
        while (try? await askerAdmin.get("/v1/federation", as: FederationStatus.self).serial) ?? 0 < serial { try await Task.sleep(for: .milliseconds(250)) }
        let back = try JSONCoding.encoder().encode(QueryRequest(resource: resource, matter: "marriage-registration",
                                                                requester: Requester(departmentCode: holder.code + "0105PSB", departmentName: "\(holder.name)民政厅",
                                                                                     operatorId: "demo-operator"),
                                                                subjects: [asker.samples[resource]?.first ?? subject]))
        do {
            let result = try await holderAdmin.post("/v1/outbound/query?peer=\(asker.code)", body: back, as: OutboundResult.self)
            print("\(holder.name) → \(asker.name): answered \(result.status)")
        } catch { print("\(holder.name) → \(asker.name): refused: \(error.code.rawValue): \(error.message)") }
        step("the authority lifts the suspension (tongbanctl federation member resume --province \(holder.code) ; federation sign)")
        let liftedAt = clock.now
        let lifted = try await authority.setStatus(.active, of: try ProvinceCode(holder.code), reason: "demo: key replaced")
        var answered = false
        while clock.now - liftedAt < .seconds(DemoAuthority.refreshSeconds * 3), !answered {
            answered = await ask().ok
            if !answered { try await Task.sleep(for: .milliseconds(250)) }
        }
        guard answered else { throw DemoError("the lifted suspension did not take effect within \(DemoAuthority.refreshSeconds * 3) s") }
        print("serial \(lifted): \(asker.name) → \(holder.name) answered 200 again")
    }
}
