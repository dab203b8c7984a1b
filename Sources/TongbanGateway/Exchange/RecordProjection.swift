import Foundation
import TongbanCore
import TongbanStore

/// One record of a query answer, as text in the shape `QueryResponse` decodes (`{"fields":{…},"subject":…,
/// "updatedAt":…}`, keys sorted): the stored fields the decision allows, masked where it says. Stored values are
/// copied as they are when the stored text has the canonical shape (`JSONObjectScanner`); only masked values are
/// decoded. Either way the bytes equal what encoding the decoded record would give (tested).
enum RecordProjection {
    static func text(of stored: StoredRecord, subject: String, fields: Set<String>, masked: Set<String>,
                     resource: CatalogueResource) -> String? {
        if let members = JSONObjectScanner.members(of: stored.fieldsJSON),
           let fast = copying(members, stored: stored, subject: subject, fields: fields, masked: masked, resource: resource) {
            return fast
        }
        return decoding(stored, subject: subject, fields: fields, masked: masked, resource: resource)
    }

    static func copying(_ members: [JSONObjectScanner.Member], stored: StoredRecord, subject: String, fields: Set<String>,
                        masked: Set<String>, resource: CatalogueResource) -> String? {
        var out = "{\"fields\":{"
        out.reserveCapacity(stored.fieldsJSON.utf8.count + subject.utf8.count + 64)
        var first = true
        for member in members {
            let name = String(member.key)
            guard fields.contains(name) else { continue }
            if !first { out += "," }
            first = false
            out += "\"" + member.key + "\":"  // the scanner accepts only keys that need no escaping
            if masked.contains(name) {
                guard let value = try? JSONValue.parse(String(member.value)) else { return nil }
                out += Masking.mask(value, rule: resource.field(name)?.masking).canonicalText
            } else {
                out += member.value
            }
        }
        out += "},\"subject\":"
        JSONText.appendString(subject, to: &out)
        out += ",\"updatedAt\":\"" + ISO8601.string(stored.updatedAt) + "\"}"
        return out
    }

    /// The general path: decode the stored object, select and mask, encode.
    static func decoding(_ stored: StoredRecord, subject: String, fields: Set<String>, masked: Set<String>,
                         resource: CatalogueResource) -> String? {
        guard case .object(let all)? = try? JSONValue.parse(stored.fieldsJSON) else { return nil }
        var selected: [String: JSONValue] = [:]
        for name in fields {
            if let value = all[name] { selected[name] = masked.contains(name) ? Masking.mask(value, rule: resource.field(name)?.masking) : value }
        }
        let record: JSONValue = ["subject": .string(subject), "fields": .object(selected), "updatedAt": .string(ISO8601.string(stored.updatedAt))]
        return record.canonicalText
    }
}
