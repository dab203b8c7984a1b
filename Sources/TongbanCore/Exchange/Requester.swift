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
