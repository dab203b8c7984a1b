import Foundation

extension QueryRequest {
    /// The first subject that repeats an earlier one, as 1-based positions, or nil when each is named once.
    /// Subjects are compared as the answering gateway reads them: a valid number in its 18-character form (a
    /// legacy 15-digit number converted, the check character in upper case), anything else upper-cased.
    public static func firstRepeatedSubject(in subjects: [String], today: Date = Date()) -> (position: Int, repeats: Int)? {
        let todayNumber = CitizenID.dateNumber(today)
        var seen: [String: Int] = [:]
        seen.reserveCapacity(subjects.count)
        for (index, subject) in subjects.enumerated() {
            let key = (try? CitizenID(subject, todayNumber: todayNumber).value) ?? subject.uppercased()
            if let earlier = seen[key] { return (index + 1, earlier + 1) }
            seen[key] = index
        }
        return nil
    }

    /// Why a query naming `subjects` is refused where it enters this gateway, or nil: the refusal gives positions,
    /// never the number.
    public static func repeatedSubjectProblem(in subjects: [String]) -> String? {
        firstRepeatedSubject(in: subjects).map { "subject \($0.position) of \(subjects.count) repeats subject \($0.repeats): name each subject once" }
    }
}
