import Foundation
import FuzzSupport
import TongbanConfig

// The daemon's YAML configuration loader (`ConfigLoader.parse`: Yams' node tree, walked with line numbers and
// unknown-key detection) never crashes on any text, and answers either a configuration or at least one problem.
// Environment overrides are exercised too: a line `TONGBAN_…=value` before a line `---yaml` becomes one.
Fuzz.run { input in
    let text = String(decoding: input, as: UTF8.self)
    var environment: [String: String] = [:]
    var yaml = text
    if let split = text.range(of: "\n---yaml\n") {
        for line in text[..<split.lowerBound].split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
        }
        yaml = String(text[split.upperBound...])
    }
    let result = ConfigLoader.parse(yaml: yaml, baseDirectory: "/nonexistent/tongban-fuzz", environment: environment)
    if result.configuration == nil, result.problems.isEmpty {
        Fuzz.difference("config", "neither a configuration nor a problem", input: input)
    }
}
