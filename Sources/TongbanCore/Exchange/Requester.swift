import Foundation

/// Who asks, inside the requesting province: the department and the operator, for accountability.
public struct Requester: Codable, Sendable, Equatable {
    public var departmentCode: String
    public var departmentName: String
    public var operatorId: String

    public init(departmentCode: String, departmentName: String, operatorId: String) {
        self.departmentCode = departmentCode
        self.departmentName = departmentName
        self.operatorId = operatorId
    }
}

extension Requester: PlainJSONDecodable {
    public init?(plainJSON json: JSONValue) {
        guard let members = json.plainMembers(required: ["departmentCode", "departmentName", "operatorId"]),
              let departmentCode = members["departmentCode"]?.plainString, let departmentName = members["departmentName"]?.plainString,
              let operatorId = members["operatorId"]?.plainString else { return nil }
        self.init(departmentCode: departmentCode, departmentName: departmentName, operatorId: operatorId)
    }
}
