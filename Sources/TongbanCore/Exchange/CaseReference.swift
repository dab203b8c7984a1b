import Foundation

/// A case reference (办件编号): the number of the case a query or verify serves, sent signed in the request and kept in
/// both audits, so that each use of a record can be traced to the case it was for (docs/workflows.md, "Records of use").
/// Tongban does not know the case systems' numbering: any text without control characters, up to `maximumLength`.
public enum CaseReference {
    public static let maximumLength = 128

    /// The reference as sent and kept: trimmed; nil when absent or blank. Too long, or with a control character, is
    /// refused with `tongban.request.invalid`.
    public static func normalized(_ text: String?) throws(TongbanError) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maximumLength else {
            throw TongbanError(.requestInvalid, "a case reference has at most \(maximumLength) characters, not \(trimmed.count)")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw TongbanError(.requestInvalid, "a case reference has no control characters")
        }
        return trimmed
    }

    /// Refuses a call without a case reference for a matter that requires one (`requiresCaseReference`).
    public static func require(_ reference: String?, for matter: Matter) throws(TongbanError) {
        guard matter.needsCaseReference, reference == nil else { return }
        throw TongbanError(.caseReferenceRequired, "matter \(matter.code) (\(matter.name)) requires a case reference (办件编号): "
                           + "give caseReference (tongbanctl --case-reference)")
    }
}
