import Foundation
import SwiftASN1
import X509

/// The names a certificate's subject answers to — the DNS names (lower case, no wildcards) and IP addresses of
/// its subject alternative names — read once, so that checking a request's `@authority` is a set look-up.
public struct ServiceNames: Sendable, Equatable {
    public let dnsNames: Set<String>
    public let addresses: Set<[UInt8]>

    public init(_ certificate: Certificate) {
        var dnsNames: Set<String> = []
        var addresses: Set<[UInt8]> = []
        for name in (try? certificate.extensions.subjectAlternativeNames).map(Array.init) ?? [] {
            switch name {
            case .dnsName(let dns): dnsNames.insert(dns.lowercased())
            case .ipAddress(let bytes): addresses.insert(Array(bytes.bytes))
            default: continue
            }
        }
        self.dnsNames = dnsNames
        self.addresses = addresses
    }

    /// Whether `authority` (`host`, `host:port`, `[v6]:port` — the `@authority` of a request) names the subject.
    /// The port is not compared: a gateway behind a load balancer is reached on another port than it listens on.
    public func contains(authority: String) -> Bool {
        let host = Self.host(of: authority).lowercased()
        guard !host.isEmpty else { return false }
        if dnsNames.contains(host) { return true }
        return IPAddress.bytes(of: host).map(addresses.contains) ?? false
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
