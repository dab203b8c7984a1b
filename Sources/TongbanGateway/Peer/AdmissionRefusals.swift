import Foundation
import Synchronization
import TongbanCore

/// What the manifest refuses before a request reaches its handler — a suspended member, a revoked or unpinned TLS
/// key, at the handshake or on a connection opened before; an expired manifest — is audited at most once a minute
/// per province and code (a refused province retrying cannot flood the audit log), and counted every time.
final class AdmissionRefusals: Sendable {
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

    static func entry(province: ProvinceCode, code: TongbanError.Code, endpoint: String = "tls-handshake", requestId: String? = nil) -> AuditEntry {
        AuditEntry(direction: .inbound, requestId: requestId ?? UUID().uuidString.lowercased(), peer: province.rawValue, endpoint: endpoint,
                   departmentCode: "", departmentName: "", operatorId: "", matter: "", resource: "", subjectCount: 0, subjectDigest: "",
                   fields: [], decision: "refuse", reasonCode: code.rawValue, status: code.status, requestSignature: "", responseSignature: "",
                   bytes: 0, latencyMilliseconds: 0)
    }
}
