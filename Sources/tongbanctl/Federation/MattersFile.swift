import Foundation
import TongbanConfig
import TongbanCore

/// Reads a matters file for `federation matters import`: the gateway's YAML format (`MattersLoader`) or a JSON
/// array of matters. An unknown field, a missing one or a wrong type is refused with the file, the line, the
/// field and why.
enum MattersFile {
    static let fields: Set<String> = ["code", "name", "needs", "requiresCaseReference"]

    static func load(_ path: String) throws(TongbanError) -> [Matter] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TongbanError(.configInvalid, "--file \(path): no such file or not readable")
        }
        let text = String(decoding: data, as: UTF8.self)
        let isJSON = path.hasSuffix(".json") || (!path.hasSuffix(".yaml") && !path.hasSuffix(".yml") && text.drop { $0.isWhitespace }.first == "[")
        return isJSON ? try json(data, text: text, path: path) : try yaml(path)
    }

    static func yaml(_ path: String) throws(TongbanError) -> [Matter] {
        let (matters, problems) = MattersLoader.load(path: path)
        if let matters, problems.isEmpty { return matters }
        let lines = problems.map { problem in
            let message = problem.message.hasPrefix("unknown key")
                ? "an unknown matter field" + problem.message.dropFirst("unknown key".count) + " (a matter has code, name, needs, requiresCaseReference)" : problem.message
            return ConfigProblem(key: problem.key, line: problem.line, message: message, source: nil).located(in: path)
        }
        throw TongbanError(.configInvalid, lines.joined(separator: "\n"))
    }

    static func json(_ data: Data, text: String, path: String) throws(TongbanError) -> [Matter] {
        func refuse(_ field: String, _ message: String, near key: String? = nil) -> TongbanError {
            let line = key.flatMap { Self.line(of: "\"\($0)\"", in: text) }.map { "line \($0): " } ?? ""
            return TongbanError(.configInvalid, "\(path): \(line)\(field): \(message)")
        }
        guard let items = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
            throw refuse("matters", "not a JSON array of matters ({\"code\", \"name\", \"needs\"})")
        }
        for (i, item) in items.enumerated() {
            guard let object = item as? [String: Any] else { throw refuse("[\(i)]", "a matter is an object with code, name, needs") }
            if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
                throw refuse("[\(i)].\(unknown)", "an unknown matter field (a matter has code, name, needs, requiresCaseReference)", near: unknown)
            }
        }
        do { return try JSONCoding.decoder().decode([Matter].self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw refuse(Self.field(context.codingPath), "missing '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw refuse(Self.field(context.codingPath), "wrong type: \(context.debugDescription)", near: context.codingPath.last?.stringValue)
        } catch {
            throw refuse("matters", "\(error)")
        }
    }

    static func field(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    /// The 1-based line of the first occurrence of `needle`.
    static func line(of needle: String, in text: String) -> Int? {
        guard let range = text.range(of: needle) else { return nil }
        return text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
