import Foundation
import Synchronization
import TongbanCore

/// Handshakes the manifest refuses (a suspended member, a revoked or unpinned TLS key) are audited — at most once a
/// minute per province and code, so that a refused province retrying cannot flood the audit log — and counted
/// every time.
final class HandshakeRefusals: Sendable {
    static let auditInterval: TimeInterval = 60
    private let lastAudited = Mutex<[String: Date]>([:])

    /// Whether this refusal is the first of its province and code within `auditInterval`.
    func shouldAudit(province: ProvinceCode, code: TongbanError.Code, now: Date = Date()) -> Bool {
        let key = province.rawValue + " " + code.rawValue
        return lastAudited.withLock { table in
            if let last = table[key], now.timeIntervalSince(last) < Self.auditInterval { return false }
            table[key] = now
            return true
        }
    }

    static func entry(province: ProvinceCode, code: TongbanError.Code) -> AuditEntry {
        AuditEntry(direction: .inbound, requestId: UUID().uuidString.lowercased(), peer: province.rawValue, endpoint: "tls-handshake",
                   departmentCode: "", departmentName: "", operatorId: "", matter: "", resource: "", subjectCount: 0, subjectDigest: "",
                   fields: [], decision: "refuse", reasonCode: code.rawValue, status: code.status, requestSignature: "", responseSignature: "",
                   bytes: 0, latencyMilliseconds: 0)
    }
}
