import Foundation
import TongbanCore
import Yams

/// Reads the province's resource directory (`catalogue.yaml`, written by the administrator next to the
/// configuration). Every problem names the file, the resource and the field (`resources[0](HR-001).fields[2].type`).
public enum CatalogueLoader {
    public struct Result: Sendable {
        public let resources: [CatalogueResource]?
        public let problems: [ConfigProblem]
    }

    public static func load(path: String) -> Result {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return Result(resources: nil, problems: [ConfigProblem(key: "(file)", message: exists ? "not readable" : "no such file", source: path)])
        }
        let parsed = parse(yaml: text)
        return Result(resources: parsed.resources,
                      problems: parsed.problems.map { ConfigProblem(key: $0.key, line: $0.line, message: $0.message, source: path) })
    }

    public static func parse(yaml text: String) -> Result {
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            return Result(resources: nil, problems: [ConfigProblem(key: "(file)", message: "not valid YAML: \(error)")])
        }
        var r = YAMLReader(environment: [:], baseDirectory: "/")
        let top = r.mapping(root ?? Node([(Node, Node)]()), at: "", allowed: ["resources"])
        guard let items = r.sequence(top?["resources"], at: "resources") else {
            if top?["resources"] == nil { r.problem("resources", nil, "missing: list the province's resources") }
            return Result(resources: nil, problems: r.problems)
        }
        var resources: [CatalogueResource] = []
        var codes: Set<String> = []
        for (index, item) in items.enumerated() {
            let label = (item["code"]?.string).map { "resources[\(index)](\($0))" } ?? "resources[\(index)]"
            if let code = item["code"]?.string, !codes.insert(code).inserted {
                r.problem(label + ".code", item["code"], "code \(code) is used twice")
            }
            guard let resource = readResource(item, at: label, with: &r) else { continue }
            resources.append(resource)
        }
        return Result(resources: r.problems.isEmpty ? resources : nil, problems: r.problems)
    }

    static func readResource(_ node: Node, at path: String, with r: inout YAMLReader) -> CatalogueResource? {
        let allowed = ["code", "name", "category", "provider", "summary", "format", "fields", "subjectField", "sharing",
                       "openType", "updateCycle", "publishedAt", "related"]
        guard let map = r.mapping(node, at: path, allowed: allowed) else { return nil }
        let code = r.string(map, "code", at: path)
        if let code, !ASCIIShape.isResourceCode(code) {
            r.problem(path + ".code", map["code"], "must be 1-64 letters, digits, '-' or '/'")
        }
        let name = r.string(map, "name", at: path)
        let categoryMap = r.mapping(map["category"], at: path + ".category", allowed: ["kind", "path"])
        let kind: CategoryKind? = r.enumeration(categoryMap, "kind", at: path + ".category")
        let classPath = r.strings(categoryMap, "path", at: path + ".category") ?? []
        let providerMap = r.mapping(map["provider"], at: path + ".provider", allowed: ["name", "code"])
        let providerName = r.string(providerMap, "name", at: path + ".provider")
        let providerCode = r.string(providerMap, "code", at: path + ".provider")
        let summary = r.string(map, "summary", at: path)
        let format = r.string(map, "format", at: path, default: "application/json")
        let sharingMap = r.mapping(map["sharing"], at: path + ".sharing", allowed: ["type", "condition", "method"])
        let shareType: ShareType? = r.enumeration(sharingMap, "type", at: path + ".sharing")
        let condition = r.string(sharingMap, "condition", at: path + ".sharing", default: "")
        let method = r.string(sharingMap, "method", at: path + ".sharing", default: "接口")
        if let shareType, shareType != .unconditional, condition?.isEmpty ?? true {
            r.problem(path + ".sharing.condition", sharingMap?["type"], "a \(shareType.rawValue) (\(shareType.chineseName)) resource must state its condition or legal basis")
        }
        let openType: OpenType? = r.enumeration(map, "openType", at: path, default: OpenType.none)
        let cycle: UpdateCycle? = r.enumeration(map, "updateCycle", at: path)
        let publishedAt = r.string(map, "publishedAt", at: path)
        if let publishedAt, !Self.isDate(publishedAt) { r.problem(path + ".publishedAt", map["publishedAt"], "must be a date YYYY-MM-DD") }
        let related = r.strings(map, "related", at: path) ?? []
        let fields = readFields(map["fields"], at: path + ".fields", with: &r)
        let subjectField = r.string(map, "subjectField", at: path)
        let fieldNames = (map["fields"]?.sequence.map(Array.init) ?? []).compactMap { $0["name"]?.string }
        if let subjectField {
            if !fieldNames.contains(subjectField) {
                r.problem(path + ".subjectField", map["subjectField"], "names no field of this resource")
            } else if let field = fields?.first(where: { $0.name == subjectField }), !field.required {
                r.problem(path + ".subjectField", map["subjectField"], "field \(subjectField) keys records, so it must be required")
            }
        }
        guard let code, let name, let kind, let providerName, let providerCode, let summary, let format, let shareType,
              let openType, let cycle, let publishedAt, let fields, let subjectField else { return nil }
        return CatalogueResource(
            code: code, name: name, category: .init(kind: kind, path: classPath), provider: .init(name: providerName, code: providerCode),
            summary: summary, format: format, fields: fields, subjectField: subjectField,
            sharing: .init(type: shareType, condition: condition?.isEmpty == true ? nil : condition, method: method),
            openType: openType, updateCycle: cycle, publishedAt: publishedAt, modifiedAt: publishedAt + "T00:00:00Z", related: related)
    }

    static func readFields(_ node: Node?, at path: String, with r: inout YAMLReader) -> [CatalogueField]? {
        guard let items = r.sequence(node, at: path), !items.isEmpty else {
            r.problem(path, node, "list at least one field")
            return nil
        }
        var fields: [CatalogueField] = []
        var names: Set<String> = []
        var ok = true
        for (index, item) in items.enumerated() {
            let fieldPath = (item["name"]?.string).map { "\(path)[\(index)](\($0))" } ?? "\(path)[\(index)]"
            let map = r.mapping(item, at: fieldPath, allowed: ["name", "title", "type", "required", "sensitive", "masking", "codeSystem"])
            guard let name = r.string(map, "name", at: fieldPath) else { ok = false; continue }
            if !ASCIIShape.isFieldName(name) {
                r.problem(fieldPath + ".name", map?["name"], "must start with a letter and hold letters, digits or _")
                ok = false
            }
            if !names.insert(name).inserted { r.problem(fieldPath + ".name", map?["name"], "field \(name) is listed twice"); ok = false }
            let title = r.string(map, "title", at: fieldPath, default: name) ?? name
            let type: FieldType? = r.enumeration(map, "type", at: fieldPath)
            let required = r.bool(map, "required", at: fieldPath, default: true)
            let sensitive = r.bool(map, "sensitive", at: fieldPath, default: false)
            let masking: MaskingRule? = map?["masking"] == nil ? nil : r.enumeration(map, "masking", at: fieldPath)
            let codeSystem: CodeSystem? = map?["codeSystem"] == nil ? nil : r.enumeration(map, "codeSystem", at: fieldPath)
            if masking != nil, sensitive == false { r.problem(fieldPath + ".masking", map?["masking"], "only a sensitive field has a masking rule"); ok = false }
            if sensitive == true, masking == nil, map?["masking"] == nil { r.problem(fieldPath + ".masking", map?["sensitive"], "a sensitive field needs a masking rule"); ok = false }
            if codeSystem != nil, type != .code { r.problem(fieldPath + ".codeSystem", map?["codeSystem"], "only a field of type code has a code system"); ok = false }
            guard let type, let required, let sensitive else { ok = false; continue }
            fields.append(CatalogueField(name: name, title: title, type: type, required: required, sensitive: sensitive,
                                         masking: masking, codeSystem: codeSystem))
        }
        return ok ? fields : nil
    }

    static func isDate(_ text: String) -> Bool {
        guard ASCIIShape.isDateShape(text) else { return false }
        let digits = text.replacingOccurrences(of: "-", with: "")
        return CitizenID.isRealDate(Array(digits.utf8), notAfter: 99_991_231)
    }
}
