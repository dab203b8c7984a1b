import Foundation

extension CorrectionSubmission {
    /// The subject as the provider stores it (its 18-character GB 11643 form), or why the submission is refused: an id
    /// the caller may not use, an unknown resource or field, a subject that is not a citizen ID number, evidence
    /// missing, a claimed value equal to the one seen, or a text too long. Messages never carry a value.
    public func check(resource: CatalogueResource?, caller: ProvinceCode, today: Int = CitizenID.dateNumber(Date())) throws(TongbanError) -> String {
        guard CorrectionID.province(of: id) == caller else {
            throw TongbanError(.requestInvalid, "correction id \(id.prefix(40)) is not one of province \(caller)'s (C-\(caller)- and 16 hexadecimal digits)")
        }
        guard let resource else { throw TongbanError(.resourceUnknown, "no resource \(self.resource) in this province's directory") }
        guard resource.field(field) != nil else { throw TongbanError(.requestInvalid, "field \(field) does not exist in resource \(resource.code)") }
        let normalized: String
        do { normalized = try CitizenID(subject, todayNumber: today).value } catch {
            throw TongbanError(.subjectInvalid, "the subject is not a valid citizen ID number (\(error.citizenIDFailure?.rawValue ?? "format"))")
        }
        try Self.checkText(seen: seen, claimed: claimed, evidence: evidence)
        return normalized
    }

    /// What both gateways check of the texts, the requester before it sends.
    public static func checkText(seen: String, claimed: String, evidence: String) throws(TongbanError) {
        guard !evidence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw TongbanError(.requestInvalid, "a correction states its evidence; it is empty")
        }
        guard seen != claimed else { throw TongbanError(.requestInvalid, "the claimed value is the value seen: there is nothing to correct") }
        for (name, text) in [("seen", seen), ("claimed", claimed), ("evidence", evidence)] where text.count > maximumText {
            throw TongbanError(.requestInvalid, "the \(name) text has at most \(maximumText) characters, not \(text.count)")
        }
    }
}
