import Foundation
import Testing
@testable import TongbanConfig
import TongbanCore

/// The example configuration shipped for operators must parse without a problem (golden file).
@Suite struct ExampleConfigTests {
    @Test func shippedExampleParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("systemd/tongband.example.yaml").path
        let result = ConfigLoader.load(path: path, environment: [:])
        #expect(result.problems.isEmpty, "\(result.problems)")
        let configuration = try #require(result.configuration)
        #expect(configuration.province.rawValue == "11")
        #expect(configuration.adminSocket == "/run/tongban/admin.sock")
        #expect(configuration.peers.map(\.code.rawValue) == ["31"])
        #expect(configuration.federation.id == "cn-tongban" && configuration.federation.url != nil)
    }

    @Test func shippedExampleCatalogueLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("systemd/catalogue.example.yaml").path
        let result = CatalogueLoader.load(path: path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.resources?.count == 3)
    }

    @Test func shippedMattersRegistryIsTheBuiltInOne() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("systemd/matters.example.yaml").path
        let loaded = MattersLoader.load(path: path)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.matters == Matter.defaults)
        #expect(MattersLoader.load(path: "/nonexistent").problems.first?.key == "matters.file")
    }
}
