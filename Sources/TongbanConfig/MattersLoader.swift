import Foundation
import TongbanCore
import Yams

/// Reads the matters registry (`matters.file`): each matter's code, name, and the fields it needs of each
/// resource. Problems name the file's matter and key, like the directory's.
public enum MattersLoader {
    public static func load(path: String?) -> (matters: [Matter]?, problems: [ConfigProblem]) {
        guard let path else { return (Matter.defaults, []) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return (nil, [ConfigProblem(key: "matters.file", message: "no such file or not readable", source: path)])
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch { return (nil, [ConfigProblem(key: "matters.file", message: "not valid YAML: \(error)", source: path)]) }
        var r = YAMLReader(environment: [:], baseDirectory: "/")
        let top = r.mapping(root ?? Node([(Node, Node)]()), at: "", allowed: ["matters"])
        var matters: [Matter] = []
        for (index, item) in (r.sequence(top?["matters"], at: "matters") ?? []).enumerated() {
            let path = (item["code"]?.string).map { "matters[\(index)](\($0))" } ?? "matters[\(index)]"
            let map = r.mapping(item, at: path, allowed: ["code", "name", "needs", "requiresCaseReference"])
            guard let code = r.string(map, "code", at: path), let name = r.string(map, "name", at: path) else { continue }
            var needs: [String: [String]] = [:]
            if let needsMap = r.mapping(map?["needs"], at: path + ".needs", allowed: (map?["needs"]?.mapping?.keys.compactMap(\.string)) ?? []) {
                for (key, value) in needsMap {
                    guard let resource = key.string, case .sequence(let fields) = value, !fields.isEmpty else {
                        r.problem(path + ".needs", key, "each resource lists the fields the matter needs")
                        continue
                    }
                    needs[resource] = fields.compactMap(\.string)
                }
            }
            if needs.isEmpty { r.problem(path + ".needs", map?["needs"], "a matter needs at least one resource") }
            if matters.contains(where: { $0.code == code }) { r.problem(path + ".code", map?["code"], "code \(code) is used twice") }
            var requiresCaseReference: Bool?
            if let node = map?["requiresCaseReference"] {
                switch node.scalar?.string {
                case "true": requiresCaseReference = true
                case "false": requiresCaseReference = false
                default: r.problem(path + ".requiresCaseReference", node, "must be true or false")
                }
            }
            matters.append(Matter(code: code, name: name, needs: needs, requiresCaseReference: requiresCaseReference))
        }
        if matters.isEmpty, r.problems.isEmpty { r.problem("matters", nil, "list at least one matter") }
        return (r.problems.isEmpty ? matters : nil, r.problems.map { ConfigProblem(key: $0.key, line: $0.line, message: $0.message, source: path) })
    }
}
