import Foundation

/// Parses textual IPv4 and IPv6 addresses into their network-order bytes (for the iPAddress SAN).
public enum IPAddress {
    /// The address's bytes, or nil when `text` is neither IPv4 nor IPv6.
    public static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
