import Foundation
import Testing
import TongbanClient
import TongbanCore
import TongbanTestKit

/// `tongbanctl grant` against a live daemon: a grant that could never be used is refused with its reason and
/// not stored; one active grant per peer, resource and matter; `grant list --json` carries each grant's state.
@Suite(.serialized) struct GrantCommandTests {
    @Test func unusableGrantsAreRefusedAndTheListCarriesTheState() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.exchangeYAML())
        defer { federation.remove() }
        let shanghai = try await RunningDaemon(federation["31"])
        let socket = ["--socket", federation["31"].adminSocket]
        func tongbanctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try Spawn.capture(BuiltProducts.tongbanctl, arguments + socket)
        }
        func listed() throws -> [[String: Any]] {
            let list = try tongbanctl(["grant", "list", "--json"])
            #expect(list.status == 0, "\(list.output)")
            return try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]] ?? []
        }
        // Education is conditionally shared; degree-verification needs idNumber, name (sensitive), school, degree of it.
        let education = ["--peer", "11", "--resource", TestCatalogue.education, "--matter", "degree-verification"]
        let refusals: [(arguments: [String], reason: String)] = [
            (["--peer", "11", "--resource", TestCatalogue.marriage, "--matter", "marriage-registration"], "不予共享"),
            (["--peer", "11", "--resource", TestCatalogue.household, "--matter", "medical-registration"], "无条件共享"),
            (["--peer", "44", "--resource", TestCatalogue.education, "--matter", "degree-verification"], "province 44 is not a configured peer"),
            (["--peer", "31", "--resource", TestCatalogue.education, "--matter", "degree-verification"], "province 31 is this gateway's own"),
            (education + ["--days", "0"], "--days 0"), (education + ["--days=-2"], "--days -2"), (education + ["--days", "3651"], "1 to 3650 days"),
            (education + ["--fields", ""], "--fields '' names no field"), (education + ["--fields", " , "], "names no field"),
            (education + ["--fields", "idNumber,school", "--clear", "name"], "name is not among the granted fields"),
            (education + ["--clear", "school"], "field school of resource \(TestCatalogue.education) is not sensitive"),
            (education + ["--fields", "idNumber,major"], "field major does not exist in resource \(TestCatalogue.education)"),
            (education + ["--fields", "idNumber,name,idNumber"], "field idNumber is named twice"),
        ]
        for (arguments, reason) in refusals {
            let result = try tongbanctl(["grant", "add"] + arguments)
            #expect(result.status != 0 && result.output.contains(reason), "\(arguments): \(result.output)")
        }
        #expect(try listed().isEmpty, "a refused grant was stored")

        // The daemon refuses the same whoever asks (here without tongbanctl's own checks).
        let admin = AdminClient(socketPath: federation["31"].adminSocket)
        for days in [0, -1] {
            let request = GrantRequest(peer: "11", resource: TestCatalogue.education, matter: "degree-verification", fields: [], clearFields: [],
                                       days: days)
            let body = try JSONCoding.encoder().encode(request)
            do {
                _ = try await admin.post("/v1/grants", body: body, as: Grant.self)
                Issue.record("a grant of \(days) days was made")
            } catch { #expect(error.code == .requestInvalid && error.message.contains("1 to 3650 days"), "\(error)") }
        }

        // One active grant per peer, resource and matter: a second is refused, naming the first, until it is revoked.
        let first = try tongbanctl(["grant", "add", "--json", "--clear", "name"] + education)
        #expect(first.status == 0, "\(first.output)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])?["id"] as? String)
        let overlapping = try tongbanctl(["grant", "add", "--fields", "idNumber,name"] + education)
        #expect(overlapping.status != 0 && overlapping.output.contains("grant \(id)") && overlapping.output.contains("grant revoke \(id)"),
                "\(overlapping.output)")
        let active = try listed()
        #expect(active.count == 1 && active.first?["id"] as? String == id && active.first?["state"] as? String == "active", "\(active)")
        #expect(active.first?["fields"] as? [String] == ["idNumber", "name", "school", "degree"], "the matter's fields the resource has")

        #expect(try tongbanctl(["grant", "revoke", id]).status == 0)
        let second = try tongbanctl(["grant", "add", "--fields", "idNumber,name"] + education)
        #expect(second.status == 0, "\(second.output)")
        #expect(try listed().map { $0["state"] as? String } == ["revoked", "active"])
        let text = try tongbanctl(["grant", "list"])
        #expect(text.status == 0 && text.output.contains("revoked") && text.output.contains("active"), "\(text.output)")
        #expect(await shanghai.stop() == 0)
    }
}
