import Yams

extension YAMLReader {
    /// A value of a string enumeration; a problem lists the allowed values.
    mutating func enumeration<T: RawRepresentable & CaseIterable>(_ mapping: Node.Mapping?, _ key: String, at path: String,
                                                                    default value: T? = nil) -> T? where T.RawValue == String {
        guard let text = string(mapping, key, at: path, default: value?.rawValue) else { return nil }
        guard let parsed = T(rawValue: text) else {
            problem(Self.join(path, key), mapping?[key], "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return parsed
    }

    mutating func bool(_ mapping: Node.Mapping?, _ key: String, at path: String, default value: Bool) -> Bool? {
        guard let text = string(mapping, key, at: path, default: String(value)) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            problem(Self.join(path, key), mapping?[key], "must be true or false, not '\(text)'")
            return nil
        }
    }

    /// A list of strings (absent: nil, no problem).
    mutating func strings(_ mapping: Node.Mapping?, _ key: String, at path: String) -> [String]? {
        guard let node = mapping?[key] else { return nil }
        guard let items = sequence(node, at: Self.join(path, key)) else { return nil }
        return items.compactMap { item in
            guard case .scalar(let scalar) = item else {
                problem(Self.join(path, key), item, "must list text values")
                return nil
            }
            return scalar.string
        }
    }
}
