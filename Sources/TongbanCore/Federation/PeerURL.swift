import Foundation

/// The form of a peer listener's URL, in the manifest and in `peers:`: `https://HOST[:PORT]`, no path, no query.
public enum PeerURL {
    public static func isValid(_ url: String) -> Bool {
        guard let parsed = URLComponents(string: url), parsed.scheme == "https", let host = parsed.host, !host.isEmpty,
              parsed.path.isEmpty || parsed.path == "/", parsed.query == nil, parsed.user == nil else { return false }
        return true
    }

    /// Without a trailing slash.
    public static func normalized(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }
}
