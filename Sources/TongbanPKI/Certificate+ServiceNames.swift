import Foundation
import SwiftASN1
import X509

extension Certificate {
    /// Whether `authority` (`host`, `host:port`, `[v6]:port` — the `@authority` of a request) names this
    /// certificate's subject: its host is one of the DNS names (case-insensitive, no wildcards) or IP addresses
    /// of the subject alternative names. The port is not compared: a gateway behind a load balancer is reached
    /// on another port than it listens on.
    public func names(authority: String) -> Bool {
        let host = Self.host(of: authority).lowercased()
        guard !host.isEmpty, let names = try? extensions.subjectAlternativeNames else { return false }
        let address = IPAddress.bytes(of: host)
        for name in names {
            switch name {
            case .dnsName(let dns) where address == nil && dns.lowercased() == host: return true
            case .ipAddress(let bytes) where address != nil && Array(bytes.bytes) == address: return true
            default: continue
            }
        }
        return false
    }

    /// The host of an authority, without brackets or port.
    static func host(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon {
            return String(authority[..<colon])
        }
        return authority
    }
}
