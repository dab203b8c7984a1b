import Foundation
import HTTPTypes
import Hummingbird
import TongbanCore

/// The `Tongban-Request-Id` header: the id that ties a request to its log lines and audit entry.
enum RequestID {
    static let headerName = HTTPField.Name("Tongban-Request-Id")!

    /// The caller's id when it is a UUID, else a fresh one.
    static func of(_ request: Request) -> String {
        if let value = request.headers[headerName], let uuid = UUIDText.parse(value) { return UUIDText.lowercased(uuid) }
        return UUIDText.lowercased(UUIDText.timeOrdered())
    }
}
