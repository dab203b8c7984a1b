import Foundation
import TongbanCore

/// Which certificates expire soon: own (TLS, signing) and peers'. A warning starts `warningPeriod` before
/// `notAfter`; shown by `tongbanctl status`, logged by `CertificateWatchService`, exported as metrics.
enum CertificateWatch {
    static let warningPeriod: TimeInterval = 30 * 86_400

    struct Warning: Sendable, Equatable {
        /// "own" or the peer's province code.
        var owner: String
        var usage: String
        var notAfter: Date
        var daysLeft: Int
        var message: String
    }

    static func warnings(own: [StatusDocument.CertificateInfo], peers: [PeerCertificates.Seen], now: Date) -> [Warning] {
        var warnings: [Warning] = []
        func check(owner: String, usage: String, notAfter: Date, describe: String) {
            let left = notAfter.timeIntervalSince(now)
            guard left < warningPeriod else { return }
            let days = Int((left / 86_400).rounded(.down))
            let when = ISO8601.string(notAfter)
            let message = left <= 0 ? "\(describe) expired at \(when)" : "\(describe) expires in \(days) day(s), at \(when)"
            warnings.append(Warning(owner: owner, usage: usage, notAfter: notAfter, daysLeft: days, message: message))
        }
        for certificate in own {
            check(owner: "own", usage: certificate.usage, notAfter: certificate.notAfter,
                  describe: "own \(certificate.usage) certificate (\(certificate.subject)); renew it with tongbanctl pki renew, then reload")
        }
        for certificate in peers {
            check(owner: certificate.province, usage: certificate.usage, notAfter: certificate.notAfter,
                  describe: "peer \(certificate.province)'s \(certificate.usage) certificate")
        }
        return warnings
    }
}
