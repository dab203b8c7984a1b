import Foundation
import Testing
@testable import TongbanCore

/// The byte checks that replaced the identifier patterns agree with the patterns (Foundation's regular expressions)
/// on generated strings near and far from each shape, except for a trailing newline, which only the checks refuse.
@Suite struct ASCIIShapeTests {
    static let shapes: [(pattern: String, check: @Sendable (String) -> Bool)] = [
        ("^[a-z0-9][a-z0-9.-]{0,62}$", { ASCIIShape.isFederationID($0) }),
        ("^[0-9a-f]{64}$", { ASCIIShape.isLowercaseHex($0, length: 64...64) }),
        ("^[0-9a-f]{1,40}$", { ASCIIShape.isLowercaseHex($0, length: 1...40) }),
        ("^[0-9A-Za-z/-]{1,64}$", { ASCIIShape.isResourceCode($0) }),
        ("^[A-Za-z][A-Za-z0-9_]{0,63}$", { ASCIIShape.isFieldName($0) }),
        ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", { ASCIIShape.isDateShape($0) }),
    ]

    @Test func theChecksAgreeWithThePatterns() {
        var generator = SeededGenerator(seed: 2926)
        let alphabet = Array("0123456789abcdefxyzABCFXYZ-./_ é中\t")
        var matched = 0
        for (pattern, check) in Self.shapes {
            var samples = ["", "a", "0", "2024-02-30", "cn-tongban", String(repeating: "a", count: 63), String(repeating: "a", count: 64),
                           String(repeating: "f", count: 64), String(repeating: "f", count: 65), String(repeating: "0", count: 40), "1010010001"]
            for _ in 0..<2_000 {
                let length = [1, 2, 10, 40, 41, 63, 64, 65, Int.random(in: 0...70, using: &generator)].randomElement(using: &generator)!
                let base = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                samples.append(String(base))
                // Near the shape: a valid-looking string with one character changed.
                var near = Array(String(repeating: "0", count: length))
                if !near.isEmpty { near[Int.random(in: 0..<near.count, using: &generator)] = alphabet.randomElement(using: &generator)! }
                samples.append(String(near))
            }
            samples.append("2024-01-01")
            for sample in samples {
                let expected = sample.range(of: pattern, options: .regularExpression) != nil
                #expect(check(sample) == expected, "\(pattern) on \(sample.debugDescription)")
                if expected { matched += 1 }
            }
            #expect(!check("cn\n") && !check("ab\n"), "a trailing newline is refused")
        }
        #expect(matched > 500)
    }
}
