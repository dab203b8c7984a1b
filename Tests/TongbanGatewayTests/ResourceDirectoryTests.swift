import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TongbanClient
import TongbanCore
import TongbanSigning
import TongbanTestKit

/// The resource directory on live daemons: imports (all or nothing), publishing with ETag, 304, gzip and
/// deflate, DCAT, the decompression-bomb cap, and stale peer copies.
@Suite(.serialized) struct ResourceDirectoryTests {
    static func importCSV(_ csv: String, into member: TestFederation.Member, resource: String = TestCatalogue.household) async throws -> ImportReport {
        try await AdminClient(socketPath: member.adminSocket).post("/v1/import?resource=\(resource)&format=csv", body: Data(csv.utf8), as: ImportReport.self)
    }

    /// The daemon's anonymous resident memory (`RssAnon`), in KiB.
    static func ownMemoryKiB(_ pid: pid_t) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    static func localCatalogue(_ member: TestFederation.Member) async throws -> CatalogueDocument {
        try #require(try await AdminClient(socketPath: member.adminSocket).get("/v1/catalogues", as: [CatalogueListing].self).first?.catalogue)
    }

    @Test func everyImportErrorClassLeavesTheStoreUnchanged() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.yaml())
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let good = try await Self.importCSV(TestCatalogue.csv(count: 3), into: federation["11"])
        #expect(good.ok && good.inserted == 3 && good.updated == 0, "\(good)")
        let before = try await Self.localCatalogue(federation["11"])
        // The same rows again change nothing, the directory's version included (checked below).
        let again = try await Self.importCSV(TestCatalogue.csv(count: 3), into: federation["11"])
        #expect(again.ok && again.unchanged == 3 && again.updated == 0 && again.inserted == 0, "\(again)")
        let valid = TestCatalogue.csv(count: 3, start: 10).split(separator: "\n").map(String.init)
        let header = valid[0]
        let row = valid[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func with(_ column: Int, _ value: String) -> String { var r = row; r[column] = value; return r.joined(separator: ",") }
        let badCheck = String(row[0].dropLast()) + (row[0].last == "1" ? "2" : "1")
        let cases: [(String, String, String)] = [
            (with(0, badCheck), "idNumber", "check-character"),
            (with(0, CitizenID.make(addressCode: "110105", birthDate: "19490230", sequence: 1)), "idNumber", "birth-date"),
            (with(0, CitizenID.make(addressCode: "110199", birthDate: "19490101", sequence: 1)), "idNumber", "address-code"),
            (with(1, ""), "name", "missing"),
            (with(3, "three"), "members", "whole number"),
            (with(4, "2021-13-01"), "registrationDate", "real date"),
        ]
        for (line, field, message) in cases {
            let report = try await Self.importCSV([header, valid[2], line].joined(separator: "\n") + "\n", into: federation["11"])
            #expect(!report.ok)
            #expect(report.errors.contains { $0.line == 3 && $0.field == field && $0.message.contains(message) }, "\(report.errors)")
            #expect(report.inserted == 0)
        }
        let duplicate = try await Self.importCSV([header, valid[1], valid[2], valid[1]].joined(separator: "\n") + "\n", into: federation["11"])
        #expect(duplicate.errors.contains { $0.line == 4 && $0.field == "idNumber" && $0.message.contains("duplicate subject") && $0.message.contains("line 2") },
                "\(duplicate.errors)")
        let after = try await Self.localCatalogue(federation["11"])
        #expect(after.resources[0].recordCount == 3)
        #expect(after.version == before.version, "a refused import changed the directory")

        // The operator's view: file, line and field on stderr, exit status 1.
        let file = federation.directory.file("bad.csv")
        try ([header, valid[2], with(3, "x")].joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let cli = try Spawn.capture(BuiltProducts.tongbanctl, ["import", "--socket", federation["11"].adminSocket, "--resource", TestCatalogue.household, file])
        #expect(cli.status == 1)
        #expect(cli.output.contains("\(file):line 3: members: must be a whole number"), "\(cli.output)")
        #expect(cli.output.contains("nothing was imported"))
        // A file without rows is refused the same way, for CSV and JSON Lines.
        for (name, text) in [("empty.csv", header + "\n"), ("empty.jsonl", "")] {
            let empty = federation.directory.file(name)
            try text.write(toFile: empty, atomically: true, encoding: .utf8)
            let refused = try Spawn.capture(BuiltProducts.tongbanctl,
                                            ["import", "--socket", federation["11"].adminSocket, "--resource", TestCatalogue.household, empty])
            #expect(refused.status == 1 && refused.output.contains("\(empty):line 1: ") && refused.output.contains("no rows"), "\(refused.output)")
        }
        // A legacy 15-digit number is imported as its 18-character form and reported by line and field, never shown.
        let legacy = federation.directory.file("legacy.csv")
        try [header, "110101800101103,张三,110101,2,2010-05-01,"].joined(separator: "\n").write(toFile: legacy, atomically: true, encoding: .utf8)
        let converted = try Spawn.capture(BuiltProducts.tongbanctl,
                                          ["import", "--socket", federation["11"].adminSocket, "--resource", TestCatalogue.household, legacy])
        #expect(converted.status == 0 && converted.output.contains("\(legacy):line 2: idNumber: a 15-digit ID number, stored as its 18-character form"))
        #expect(converted.output.contains("inserted 1, updated 0, unchanged 0, converted 1"), "\(converted.output)")
        #expect(!converted.output.contains("110101800101103"))
        #expect(await daemon.stop() == 0)
        // No ID number or name of an imported row reaches the daemon's log.
        #expect(!daemon.logText.contains(row[0]) && !daemon.logText.contains("张三") && !daemon.logText.contains("110101800101103"))
    }

    @Test func hundredThousandRowsImportAndReimportUnchanged() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.yaml())
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let csv = TestCatalogue.csv(count: 100_000)
        let first = try await Self.importCSV(csv, into: federation["11"])
        #expect(first.ok && first.rows == 100_000 && first.inserted == 100_000, "\(first.errors.prefix(3))")
        let afterFirst = try Self.ownMemoryKiB(daemon.pid)
        let second = try await Self.importCSV(csv, into: federation["11"])
        #expect(second.ok && second.unchanged == 100_000 && second.updated == 0 && second.inserted == 0)
        #expect(try await Self.localCatalogue(federation["11"]).resources[0].recordCount == 100_000)
        print("100,000-row import: \(String(format: "%.2f", first.seconds)) s first, "
              + "\(String(format: "%.2f", second.seconds)) s again, every row unchanged (debug build)")
        // Imports give their memory back: with glibc's moving map threshold each further import of this size left
        // ≈ 50 MB more resident (HeapPolicy).
        for _ in 0..<2 { _ = try await Self.importCSV(csv, into: federation["11"]) }
        let growth = try Self.ownMemoryKiB(daemon.pid) - afterFirst
        print("the daemon's own memory after three more 100,000-row imports: \(growth >= 0 ? "+" : "")\(growth) KiB")
        #expect(growth < 16 * 1024, "the daemon's own memory grew by \(growth) KiB over three more imports")
        #expect(await daemon.stop() == 0)
    }

    @Test func catalogueIsSignedCompressedVersionedAndRendersDCAT() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.yaml(), extraConfig: "compression:\n  level: 9\n")
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let caller = try await RunningDaemon(federation["31"])  // 11 learns 31's signing key from 31's /v1/identity
        _ = try await Self.importCSV(TestCatalogue.csv(count: 5), into: federation["11"])
        let client = try CraftingClient(tlsAs: federation["31"], signingKeyOf: federation["31"], target: federation["11"])

        let gzip = try await client.send(.GET, "/v1/catalogue", body: nil, headers: [("Accept-Encoding", "gzip")])
        #expect(gzip.status == 200, "\(gzip.body)")
        #expect(gzip.headers.first(name: "Content-Encoding") == "gzip")
        try ContentDigest.verify(try #require(gzip.headers.first(name: "Content-Digest")), body: gzip.rawBody)  // over the encoded bytes
        var buffer = ByteBuffer(bytes: gzip.rawBody)
        let inflated = try buffer.decompress(with: .gzip())
        let document = try JSONCoding.decoder().decode(CatalogueDocument.self, from: Data(inflated.readableBytesView))
        #expect(document.province == "11" && document.resources.first?.recordCount == 5)
        #expect(gzip.headers.first(name: "ETag") == "\"\(document.version)\"")
        #expect(inflated.readableBytes > gzip.rawBody.count)
        // Compressed at the configured level (9 here; the default is 1): the very bytes `ContentCoding` gives at 9.
        let atNine = try ContentCoding.gzip.encode(inflated, level: 9), atOne = try ContentCoding.gzip.encode(inflated, level: 1)
        #expect(Data(atNine.readableBytesView) == Data(gzip.rawBody) && atNine.readableBytes < atOne.readableBytes)

        let deflate = try await client.send(.GET, "/v1/catalogue", body: nil, headers: [("Accept-Encoding", "deflate")])
        #expect(deflate.headers.first(name: "Content-Encoding") == "deflate")
        var zlib = ByteBuffer(bytes: deflate.rawBody)
        #expect(try JSONCoding.decoder().decode(CatalogueDocument.self, from: Data(zlib.decompress(with: .zlib()).readableBytesView)).version == document.version)

        let notModified = try await client.send(.GET, "/v1/catalogue", body: nil, headers: [("If-None-Match", "\"\(document.version)\"")])
        #expect(notModified.status == 304)
        #expect(notModified.rawBody.isEmpty)
        #expect(notModified.headers.first(name: "Signature") != nil)

        // New records change the version; the old ETag no longer matches.
        _ = try await Self.importCSV(TestCatalogue.csv(count: 1, start: 99), into: federation["11"])
        let changed = try await client.send(.GET, "/v1/catalogue", body: nil, headers: [("If-None-Match", "\"\(document.version)\"")])
        #expect(changed.status == 200)

        let dcat = try await client.send(.GET, "/v1/catalogue", body: nil, headers: [("Accept", "application/ld+json")])
        #expect(dcat.headers.first(name: "Content-Type") == "application/ld+json")
        let graph = try #require(try JSONSerialization.jsonObject(with: dcat.rawBody) as? [String: Any])
        #expect(graph["@type"] as? String == "dcat:Catalog")
        for key in ["dct:title", "dct:description", "dct:publisher", "dcat:dataset", "dcat:service"] { #expect(graph[key] != nil, "catalog lacks \(key)") }
        let dataset = try #require((graph["dcat:dataset"] as? [[String: Any]])?.first)
        for key in ["dct:title", "dct:description", "dcat:distribution"] { #expect(dataset[key] != nil, "dataset lacks \(key)") }
        let distribution = try #require((dataset["dcat:distribution"] as? [[String: Any]])?.first)
        #expect(distribution["dcat:accessURL"] != nil)
        let service = try #require((graph["dcat:service"] as? [[String: Any]])?.first)
        #expect(service["dct:title"] != nil && service["dcat:endpointURL"] != nil)
        try await client.http.shutdown()
        #expect(await daemon.stop() == 0)
        #expect(await caller.stop() == 0)
    }

    @Test func decompressionBombAndUnknownCodingAreRefused() async throws {
        let federation = try TestFederation(provinces: ["11", "31"])
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let caller = try await RunningDaemon(federation["31"])
        let client = try CraftingClient(tlsAs: federation["31"], signingKeyOf: federation["31"], target: federation["11"])
        // About 1 MiB on the wire (incompressible bytes plus 17 MiB of zeros) that inflates past the 16 MiB cap.
        var raw = ByteBuffer()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<(900 * 1024 / 8) { raw.writeInteger(generator.next() as UInt64) }
        raw.writeRepeatingByte(0, count: 17 * 1024 * 1024)
        let bomb = Data(try raw.compress(with: .gzip()).readableBytesView)
        #expect(bomb.count < 1024 * 1024 + 100_000)
        let rssBefore = Self.residentBytes(daemon.pid)
        let refused = try await client.send(body: bomb, headers: [("Content-Encoding", "gzip")])
        let rssAfter = Self.residentBytes(daemon.pid)
        #expect(refused.status == 413, "\(refused.body)\n\(daemon.logText.suffix(1500))")
        #expect(refused.code == "tongban.body.too-large")
        #expect(rssAfter - rssBefore < 16 * 1024 * 1024, "the daemon grew by \(rssAfter - rssBefore) bytes")

        // A small gzip body within the cap is served, decoded.
        var small = ByteBuffer(string: #"{"hello":"world"}"#)
        let ok = try await client.send(body: Data(try small.compress(with: .gzip()).readableBytesView), headers: [("Content-Encoding", "gzip")])
        #expect(ok.status == 200, "\(ok.body)")
        #expect(ok.body.contains("\"receivedBytes\":17"))

        let unknown = try await client.send(body: Data("{}".utf8), headers: [("Content-Encoding", "br")])
        #expect(unknown.status == 415)
        #expect(unknown.code == "tongban.encoding.unsupported")
        try await client.http.shutdown()
        #expect(await daemon.stop() == 0)
        #expect(await caller.stop() == 0)
    }

    @Test func peerCatalogueIsServedStaleWhenThePeerIsDown() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.yaml(share: .conditional))
        defer { federation.remove() }
        let beijing = try await RunningDaemon(federation["11"])
        let shanghai = try await RunningDaemon(federation["31"])
        let admin = AdminClient(socketPath: federation["11"].adminSocket)
        let fresh = try await admin.get("/v1/catalogues?peer=31", as: [CatalogueListing].self)
        #expect(fresh.first?.stale == false)
        #expect(fresh.first?.catalogue?.resources.first?.sharing.type == .conditional)
        let all = try await admin.get("/v1/catalogues?all=1", as: [CatalogueListing].self)
        #expect(all.map(\.province) == ["11", "31"])
        #expect(await shanghai.stop() == 0)
        try await Task.sleep(for: .seconds(1))
        let stale = try await admin.get("/v1/catalogues?peer=31", as: [CatalogueListing].self)
        #expect(stale.first?.stale == true)
        #expect(stale.first?.catalogue?.version == fresh.first?.catalogue?.version)
        #expect((stale.first?.ageSeconds ?? 0) >= 1)
        #expect(stale.first?.error?.isEmpty == false)
        let listed = try Spawn.capture(BuiltProducts.tongbanctl, ["catalog", "list", "--peer", "31", "--socket", federation["11"].adminSocket])
        #expect(listed.output.contains("31 (stale,"), "\(listed.output)")
        #expect(await beijing.stop() == 0)
    }

    @Test func sighupReloadsTheDirectoryAndKeepsItWhenTheNewFileIsInvalid() async throws {
        let federation = try TestFederation(provinces: ["11", "31"], catalogue: TestCatalogue.yaml())
        defer { federation.remove() }
        let daemon = try await RunningDaemon(federation["11"])
        let file = federation["11"].home + "/catalogue.yaml"
        try TestCatalogue.yaml().replacingOccurrences(of: "name: 户籍人口信息", with: "name: 户籍人口信息（新版）")
            .write(toFile: file, atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        var name = ""
        for _ in 0..<50 {
            name = try await Self.localCatalogue(federation["11"]).resources.first?.name ?? ""
            if name.hasSuffix("（新版）") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(name == "户籍人口信息（新版）")
        try "resources:\n  - code: \"x\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        kill(daemon.pid, SIGHUP)
        try await Task.sleep(for: .milliseconds(700))
        #expect(try await Self.localCatalogue(federation["11"]).resources.first?.name == "户籍人口信息（新版）")
        #expect(daemon.isRunning)
        #expect(await daemon.stop() == 0)
        #expect(daemon.logText.contains("reload refused: the previous configuration stays in force"))
        #expect(daemon.logText.contains("resources[0](x).name"))
    }

    static func residentBytes(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
}
