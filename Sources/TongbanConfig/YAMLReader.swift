import Foundation
import TongbanCore
import Yams

/// Walks a YAML node tree by key path, applying environment overrides, resolving relative paths and recording
/// a `ConfigProblem` (with the line) for every missing, mistyped or unknown key instead of stopping at the first.
struct YAMLReader {
    private(set) var problems: [ConfigProblem] = []
    private let environment: [String: String]
    private var usedEnvironment: Set<String> = []
    let baseDirectory: String

    init(environment: [String: String], baseDirectory: String) {
        self.environment = environment
        self.baseDirectory = baseDirectory
    }

    /// A problem with `key`: blamed on its environment variable when one set the value, else on its line.
    mutating func problem(_ key: String, _ node: Node?, _ message: String) {
        let variable = Self.environmentName(for: key)
        if environment[variable] != nil {
            problems.append(ConfigProblem(key: key, message: message, source: "environment variable \(variable)"))
        } else {
            problems.append(ConfigProblem(key: key, line: node?.mark?.line, message: message))
        }
    }

    /// The mapping at `path`; reports keys other than `allowed` as unknown.
    mutating func mapping(_ node: Node?, at path: String, allowed: [String], required: Bool = true) -> Node.Mapping? {
        guard let node else {
            if required { problem(path, nil, "missing section") }
            return nil
        }
        guard case .mapping(let mapping) = node else {
            problem(path, node, "must be a mapping of keys to values")
            return nil
        }
        for key in mapping.keys {
            let name = key.string ?? "?"
            if !allowed.contains(name) {
                let suggestion = allowed.min { Self.distance($0, name) < Self.distance($1, name) }
                    .flatMap { Self.distance($0, name) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
                problem(Self.join(path, name), key, "unknown key\(suggestion)")
            }
        }
        return mapping
    }

    /// The sequence at `path`, or nil (absent is allowed, a non-sequence is a problem).
    mutating func sequence(_ node: Node?, at path: String) -> [Node]? {
        guard let node else { return nil }
        guard case .sequence(let sequence) = node else {
            problem(path, node, "must be a list")
            return nil
        }
        return Array(sequence)
    }

    /// A scalar string, with the environment override applied.
    mutating func string(_ mapping: Node.Mapping?, _ key: String, at path: String, default value: String? = nil) -> String? {
        let full = Self.join(path, key)
        if let override = environmentValue(for: full) { return override }
        guard let node = mapping?[key] else {
            if value == nil { problem(full, nil, "missing (required)") }
            return value
        }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            problem(full, node, "must be a non-empty text value")
            return nil
        }
        return scalar.string
    }

    mutating func int(_ mapping: Node.Mapping?, _ key: String, at path: String, default value: Int? = nil, range: ClosedRange<Int>) -> Int? {
        guard let text = string(mapping, key, at: path, default: value.map(String.init)) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            problem(Self.join(path, key), mapping?[key], "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            return nil
        }
        return number
    }

    mutating func double(_ mapping: Node.Mapping?, _ key: String, at path: String, default value: Double, range: ClosedRange<Double>) -> Double? {
        guard let text = string(mapping, key, at: path, default: String(value)) else { return nil }
        guard let number = Double(text), range.contains(number) else {
            problem(Self.join(path, key), mapping?[key], "must be a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
            return nil
        }
        return number
    }

    /// A path, made absolute against the configuration file's directory.
    mutating func path(_ mapping: Node.Mapping?, _ key: String, at path: String, default value: String? = nil) -> String? {
        string(mapping, key, at: path, default: value).map(absolute)
    }

    /// A string that may be absent (nil, no problem), unless the environment sets it.
    mutating func optionalString(_ mapping: Node.Mapping?, _ key: String, at path: String) -> String? {
        if let override = environmentValue(for: Self.join(path, key)) { return override }
        guard mapping?[key] != nil else { return nil }
        return string(mapping, key, at: path)
    }

    /// A path that may be absent (nil, no problem), unless the environment sets it.
    mutating func optionalPath(_ mapping: Node.Mapping?, _ key: String, at path: String) -> String? {
        if let override = environmentValue(for: Self.join(path, key)) { return absolute(override) }
        guard mapping?[key] != nil else { return nil }
        return self.path(mapping, key, at: path)
    }

    /// A list of paths: a YAML list, or a single path, or a comma-separated environment override.
    mutating func paths(_ mapping: Node.Mapping?, _ key: String, at path: String) -> [String]? {
        let full = Self.join(path, key)
        if let override = environmentValue(for: full) {
            return override.split(separator: ",").map { absolute(String($0).trimmingCharacters(in: .whitespaces)) }
        }
        guard let node = mapping?[key] else {
            problem(full, nil, "missing (required)")
            return nil
        }
        if case .scalar(let scalar) = node { return [absolute(scalar.string)] }
        guard let items = sequence(node, at: full), !items.isEmpty else {
            if case .sequence = node { problem(full, node, "must list at least one file") }
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                problem("\(full)[\(index)]", item, "must be a path")
                continue
            }
            result.append(absolute(scalar.string))
        }
        return result
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardized.path
    }

    /// `TONGBAN_` + the key path in upper snake case: `listen.peer.port` → `TONGBAN_LISTEN_PEER_PORT`.
    static func environmentName(for path: String) -> String {
        var name = ConfigLoader.environmentPrefix
        for character in path {
            if character == "." { name.append("_") } else if character.isUppercase { name += "_" + character.uppercased() } else { name += character.uppercased() }
        }
        return name
    }

    private mutating func environmentValue(for path: String) -> String? {
        guard !path.contains("[") else { return nil }
        let name = Self.environmentName(for: path)
        guard let value = environment[name] else { return nil }
        usedEnvironment.insert(name)
        return value
    }

    mutating func reportUnusedEnvironment() {
        for name in environment.keys.sorted() where !usedEnvironment.contains(name) {
            problems.append(ConfigProblem(key: name, message: "environment variable matches no configuration key"))
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// Levenshtein distance, for "did you mean" suggestions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
