import Foundation
import Testing
import TongbanTestKit

/// `tongbanctl pki init|issue` refuse what would make a useless or wrong certificate — a validity outside the
/// accepted range, a DNS name that is not one, an IP address that is not one — naming the option and the value,
/// exiting non-zero, and writing nothing.
@Suite struct PKIRefusalTests {
    static func pki(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Spawn.capture(BuiltProducts.tongbanctl, ["pki"] + arguments)
    }

    @Test(arguments: ["0", "-1", "7301"]) func initRefusesAValidityOutsideTheRange(days: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try Self.pki(["init", "--dir", directory.file("ca"), "--days", days])
        #expect(result.status != 0)
        #expect(result.output.contains("--days \(days)") && result.output.contains("1 to 7300 days"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("ca")), "pki init wrote files")
    }

    /// A refused option value, and what the refusal must say besides the option and the value.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let option: String, value: String, why: String
        init(_ option: String, _ value: String, _ why: String) { (self.option, self.value, self.why) = (option, value, why) }
        var testDescription: String { "\(option) '\(value.prefix(40))'" }
    }

    static let refusedIssues: [Refusal] = [
        Refusal("--days", "0", "1 to 825 days"), Refusal("--days", "-3", "1 to 825 days"), Refusal("--days", "826", "1 to 825 days"),
        Refusal("--dns", "bad name!", "'!'"), Refusal("--dns", "*.gw.example", "wildcard"), Refusal("--dns", "-gw.example", "'-'"),
        Refusal("--dns", "gw-.example", "'-'"), Refusal("--dns", "gw..example", "empty label"), Refusal("--dns", "gw.example.", "ends with a dot"),
        Refusal("--dns", String(repeating: "a", count: 64) + ".example", "63"),
        Refusal("--dns", Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: "."), "253"),
        Refusal("--dns", "10.0.0.1", "--ip"), Refusal("--dns", "", "empty"), Refusal("--dns", "网关.example", "xn--"),
        Refusal("--ip", "10.0.0", "not an IPv4 or IPv6 address"), Refusal("--ip", "gw.example", "not an IPv4 or IPv6 address"),
        Refusal("--ip", "300.1.1.1", "not an IPv4 or IPv6 address"),
    ]

    @Test(arguments: refusedIssues) func issueRefusesAndWritesNothing(_ refusal: Refusal) throws {
        let (option, value, why) = (refusal.option, refusal.value, refusal.why)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = directory.file("ca"), out = directory.file("44")
        #expect(try Self.pki(["init", "--dir", ca]).status == 0)
        let result = try Self.pki(["issue", "--ca", ca, "--province", "44", "--out", out, "--dns", "gw.gd.example", option, value])
        #expect(result.status != 0, "\(option) \(value) was accepted")
        let named = option == "--days" ? "--days \(value)" : "\(option) '\(value)'"
        #expect(result.output.contains(named) && result.output.contains(why), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: out), "pki issue wrote files")
    }

    /// Names a gateway really has are accepted: upper case, digits, hyphens inside, an IDN in its ASCII form, IPv6.
    @Test func issueAcceptsOrdinaryNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ca = directory.file("ca")
        #expect(try Self.pki(["init", "--dir", ca]).status == 0)
        let result = try Self.pki(["issue", "--ca", ca, "--province", "44", "--out", directory.file("44"), "--days", "825",
                                   "--dns", "GW-1.gd.example.gov.cn", "--dns", "localhost", "--dns", "xn--fiqs8s.example", "--dns", "3com.example",
                                   "--ip", "::1", "--ip", "10.0.0.1"])
        #expect(result.status == 0, "\(result.output)")
    }
}
