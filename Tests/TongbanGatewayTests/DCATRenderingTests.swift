import Foundation
import Testing
import TongbanConfig
import TongbanCore
@testable import TongbanGateway
import TongbanTestKit

/// The DCAT-AP 3 rendering conforms to the official DCAT-AP 3.0.1 SHACL shapes (checked by pyshacl, an
/// independent validator, installed by `make interop-venv`).
@Suite struct DCATRenderingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".build/interop-venv/bin/python3").path
    static let script = repository.appendingPathComponent("Tests/Interop/dcat_shacl.py").path

    static func rendering() throws -> JSONValue {
        let example = repository.appendingPathComponent("systemd/catalogue.example.yaml").path
        let resources = try #require(CatalogueLoader.load(path: example).resources)
        let document = CatalogueDocument(province: "11", name: "北京市", version: "0123456789abcdef0123456789abcdef", resources: resources)
        return DCATRendering.render(document, endpoint: "https://tongban.bj.example.gov.cn:7443")
    }

    @Test func renderingCarriesTheMandatoryProperties() throws {
        let graph = try Self.rendering()
        #expect(graph["@type"] == "dcat:Catalog")
        for key in ["dct:title", "dct:description", "dct:publisher", "dcat:dataset", "dcat:service"] { #expect(graph[key] != nil, "catalog lacks \(key)") }
        guard case .array(let datasets) = graph["dcat:dataset"] else { Issue.record("no datasets"); return }
        #expect(datasets.count == 3)
        for dataset in datasets {
            #expect(dataset["dct:title"] != nil && dataset["dct:description"] != nil)
            guard case .array(let distributions) = dataset["dcat:distribution"], let distribution = distributions.first else {
                Issue.record("dataset without distribution"); continue
            }
            #expect(distribution["dcat:accessURL"] != nil)
        }
    }

    @Test func renderingConformsToTheDCATAPShapes() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "no interop venv: run 'make interop-venv' (make test does)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("catalogue.jsonld")
        try JSONCoding.encoder(pretty: true).encode(try Self.rendering()).write(to: URL(fileURLWithPath: path))
        let result = try Spawn.capture(Self.python, [Self.script, path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Conforms: True"), "\(result.output)")
        // The validator can fail: a catalogue without a title does not conform.
        guard case .object(var broken) = try Self.rendering() else { return }
        broken["dct:title"] = nil
        try JSONCoding.encoder().encode(JSONValue.object(broken)).write(to: URL(fileURLWithPath: path))
        #expect(try Spawn.capture(Self.python, [Self.script, path]).status != 0)
    }
}
