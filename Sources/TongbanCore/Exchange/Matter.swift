/// A cross-province service item (跨省通办事项): what it is and exactly which resources and fields it needs.
/// Every request names one; data are shared only for it, and only the fields it needs.
public struct Matter: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    /// Resource code → the fields this matter needs from it.
    public var needs: [String: [String]]
    /// Whether every query and verify for this matter must carry a case reference (办件编号): refused without one,
    /// by the requesting gateway before anything is sent and by the providing one. Absent means false (and is
    /// left out of the manifest, so manifests signed before it existed stay as they were).
    public var requiresCaseReference: Bool?

    public init(code: String, name: String, needs: [String: [String]], requiresCaseReference: Bool? = nil) {
        self.code = code
        self.name = name
        self.needs = needs
        self.requiresCaseReference = requiresCaseReference
    }

    /// `requiresCaseReference`, absent read as false.
    public var needsCaseReference: Bool { requiresCaseReference == true }

    /// The registry shipped with Tongban: six real matters from the national cross-province list, over the
    /// demo directory's resources (household 1010010001, education 2030010001, marriage 1010030001).
    public static let defaults: [Matter] = [
        Matter(code: "household-transfer", name: "户口迁移", needs: [
            "1010010001": ["idNumber", "name", "gender", "birthDate", "householdNumber", "address", "relationToHead"]]),
        Matter(code: "medical-registration", name: "异地就医备案", needs: [
            "1010010001": ["idNumber", "name", "gender", "birthDate", "address"]]),
        Matter(code: "marriage-registration", name: "婚姻登记", needs: [
            "1010010001": ["idNumber", "name", "gender", "birthDate"],
            "1010030001": ["idNumber", "spouseIdNumber", "status", "registrationDate"]]),
        Matter(code: "degree-verification", name: "学历学位认证", needs: [
            "2030010001": ["idNumber", "name", "school", "major", "degree", "graduationDate", "certificateNumber"]]),
        Matter(code: "social-insurance-transfer", name: "社保关系转移", needs: [
            "1010010001": ["idNumber", "name", "birthDate"]]),
        Matter(code: "birth-registration", name: "出生登记", needs: [
            "1010010001": ["idNumber", "name", "householdNumber", "address"],
            "1010030001": ["idNumber", "spouseIdNumber", "status"]]),
    ]
}
