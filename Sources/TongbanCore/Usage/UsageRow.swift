/// The exchanges of one matter, department and peer in a usage report: how many, how many allowed and denied, the
/// subjects asked about in those allowed, and the case references (办件编号) they carried.
public struct UsageRow: Codable, Sendable, Equatable {
    public var matter: String
    /// The requesting department: this province's on an outbound report, the peer's on an inbound one.
    public var departmentCode: String
    public var departmentName: String
    /// The other province.
    public var peer: String
    public var exchanges: Int
    public var allowed: Int
    public var denied: Int
    public var queries: Int
    public var verifies: Int
    /// Subjects (people) the allowed exchanges were about: records disclosed or claims checked, at most one each.
    public var subjects: Int
    /// Distinct case references among the exchanges.
    public var caseReferences: Int
    /// Exchanges that carried no case reference.
    public var withoutCaseReference: Int

    public init(matter: String, departmentCode: String, departmentName: String, peer: String, exchanges: Int, allowed: Int, denied: Int,
                queries: Int, verifies: Int, subjects: Int, caseReferences: Int, withoutCaseReference: Int) {
        self.matter = matter
        self.departmentCode = departmentCode
        self.departmentName = departmentName
        self.peer = peer
        self.exchanges = exchanges
        self.allowed = allowed
        self.denied = denied
        self.queries = queries
        self.verifies = verifies
        self.subjects = subjects
        self.caseReferences = caseReferences
        self.withoutCaseReference = withoutCaseReference
    }

    /// The columns of `usage report --csv`, in order.
    public static let columns = ["matter", "departmentCode", "departmentName", "peer", "exchanges", "allowed", "denied", "queries", "verifies",
                                 "subjects", "caseReferences", "withoutCaseReference"]

    public var values: [String] {
        [matter, departmentCode, departmentName, peer, String(exchanges), String(allowed), String(denied), String(queries), String(verifies),
         String(subjects), String(caseReferences), String(withoutCaseReference)]
    }
}
