import Foundation
import TongbanCore
import TongbanStore

/// The records of one query answer, as text in the shape `QueryResponse` decodes (`{"fields":{…},"subject":…,
/// "updatedAt":…}`, keys sorted): the stored fields the decision allows, masked where it says.
///
/// Stored values are copied byte for byte when the stored text has the canonical shape (`JSONObjectScanner`);
/// only masked values are decoded. Either way the bytes equal what encoding the decoded record would give
/// (tested). Made once per answer; `append` reuses its scratch space from one record to the next.
struct RecordProjection {
    let fields: Set<String>
    let masked: Set<String>
    let resource: CatalogueResource
    /// The allowed field names as UTF-8, for comparing with the stored keys without making `String`s, and
    /// whether (and by which rule) each is masked.
    private let allowed: [(name: [UInt8], masked: Bool, rule: MaskingRule?)]
    private var spans: [JSONObjectScanner.Span] = []

    init(fields: Set<String>, masked: Set<String>, resource: CatalogueResource) {
        self.fields = fields
        self.masked = masked
        self.resource = resource
        allowed = fields.map { (Array($0.utf8), masked.contains($0), resource.field($0)?.masking) }
    }

    /// Appends the record's text to `out`; false (and `out` unchanged) when the stored text is not a JSON object.
    mutating func append(_ stored: StoredRecord, subject: String, to out: inout [UInt8]) -> Bool {
        var text = stored.fieldsJSON
        return text.withUTF8 { append(fields: $0, updatedAt: stored.updatedAt, subject: subject, to: &out) }
    }

    /// `append` for the stored fields' UTF-8 as the store holds them (`ProvinceStore.visitRecordsNow`).
    mutating func append(fields: UnsafeBufferPointer<UInt8>, updatedAt: Date, subject: String, to out: inout [UInt8]) -> Bool {
        let mark = out.count
        if copying(fields, subject: subject, updatedAt: updatedAt, to: &out) { return true }
        out.removeSubrange(mark...)
        let stored = StoredRecord(subject: subject, fieldsJSON: String(decoding: fields, as: UTF8.self), updatedAt: updatedAt)
        guard let general = decoding(stored, subject: subject) else { return false }
        out += general.utf8
        return true
    }

    /// The fast path: false when the text is not in the store's shape or a masked value does not parse
    /// (`out` may then hold a partial record, which the caller removes).
    private mutating func copying(_ bytes: UnsafeBufferPointer<UInt8>, subject: String, updatedAt: Date, to out: inout [UInt8]) -> Bool {
        guard JSONObjectScanner.scan(bytes, into: &spans) else { return false }
        out += #"{"fields":{"#.utf8
        var first = true
        for span in spans {
            let key = UnsafeBufferPointer(rebasing: bytes[span.key])
            guard let field = allowed.first(where: { $0.name.count == key.count && $0.name.elementsEqual(key) }) else { continue }
            if !first { out.append(0x2C) }
            first = false
            out.append(0x22)
            out.append(contentsOf: key)  // the scanner accepts only keys that need no escaping
            out += #"":"#.utf8
            let value = UnsafeBufferPointer(rebasing: bytes[span.value])
            if field.masked {
                guard appendMasked(value, rule: field.rule, to: &out) else { return false }
            } else {
                out.append(contentsOf: value)
            }
        }
        out += #"},"subject":"#.utf8
        JSONText.appendString(subject, to: &out)
        out += #","updatedAt":""#.utf8
        out += ISO8601.string(updatedAt).utf8
        out += #""}"#.utf8
        return true
    }

    /// A masked value: a stored string without escapes is masked as it is (it has nothing to escape, so neither
    /// has what is kept of it); anything else is parsed first. False when the value does not parse.
    private func appendMasked(_ value: UnsafeBufferPointer<UInt8>, rule: MaskingRule?, to out: inout [UInt8]) -> Bool {
        if value.count >= 2, value[0] == 0x22, value[value.count - 1] == 0x22 {
            let content = UnsafeBufferPointer(rebasing: value[1..<(value.count - 1)])
            if !content.contains(where: { $0 == 0x5C || $0 < 0x20 }) {
                out.append(0x22)
                if !Masking.appendMasked(utf8: content, rule: rule, to: &out) {
                    out += Masking.maskCountingCharacters(String(decoding: content, as: UTF8.self), rule: rule).utf8
                }
                out.append(0x22)
                return true
            }
        }
        guard let parsed = try? JSONValue.parse(String(decoding: value, as: UTF8.self)) else { return false }
        out += Masking.mask(parsed, rule: rule).canonicalText.utf8
        return true
    }

    /// The general path: decode the stored object, select and mask, encode.
    func decoding(_ stored: StoredRecord, subject: String) -> String? {
        guard case .object(let all)? = try? JSONValue.parse(stored.fieldsJSON) else { return nil }
        var selected: [String: JSONValue] = [:]
        for name in fields {
            if let value = all[name] { selected[name] = masked.contains(name) ? Masking.mask(value, rule: resource.field(name)?.masking) : value }
        }
        let record: JSONValue = ["subject": .string(subject), "fields": .object(selected), "updatedAt": .string(ISO8601.string(stored.updatedAt))]
        return record.canonicalText
    }
}
