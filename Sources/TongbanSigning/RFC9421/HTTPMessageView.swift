/// What RFC 9421 needs to know of one HTTP message, independent of any HTTP library: the request line or
/// status, and the header fields in order. Built from Hummingbird's and AsyncHTTPClient's types by their
/// callers.
public struct HTTPMessageView: Sendable {
    public enum Start: Sendable {
        /// `target` is the path with its query (`/v1/query?x=1`); `scheme` and `authority` as sent.
        case request(method: String, scheme: String, authority: String, target: String)
        case response(status: Int)
    }

    public var start: Start
    /// Field lines in order; names compared case-insensitively.
    public var fields: [(name: String, value: String)]
    /// Serialised members of dictionary fields that are already known, by `fieldname;key` (lower-case field
    /// name): what a `key`-parameter component (`"signature";key="tongban"`) reads before parsing the field
    /// again. Only to be filled with exactly what parsing and re-serialising the member would give.
    public var knownMembers: [String: String] = [:]

    /// The `knownMembers` key of member `key` of the field named `field` (lower-case, as a component names it).
    static func knownMemberKey(_ field: String, _ key: String) -> String { field + ";" + key }

    public init(start: Start, fields: [(name: String, value: String)]) {
        self.start = start
        self.fields = fields
    }

    public static func request(method: String, scheme: String, authority: String, target: String,
                               fields: [(name: String, value: String)]) -> HTTPMessageView {
        HTTPMessageView(start: .request(method: method, scheme: scheme, authority: authority, target: target), fields: fields)
    }

    public static func response(status: Int, fields: [(name: String, value: String)]) -> HTTPMessageView {
        HTTPMessageView(start: .response(status: status), fields: fields)
    }

    /// Every value of field `name`, in order.
    public func values(of name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// ASCII case-insensitive comparison of field names, without allocating (it runs for every covered
    /// component of every message).
    public static func sameName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        // Native strings (every name here) are compared in place; iterating two `UTF8View`s in step cost more.
        if let same = a.utf8.withContiguousStorageIfAvailable({ x in b.utf8.withContiguousStorageIfAvailable { y in sameName(x, y) } }),
           let same {
            return same
        }
        for (x, y) in zip(a.utf8, b.utf8) where x != y {
            let lowerX = x >= 0x41 && x <= 0x5A ? x | 0x20 : x
            let lowerY = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
            if lowerX != lowerY { return false }
        }
        return true
    }

    private static func sameName(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<a.count where a[index] != b[index] {
            let (x, y) = (a[index], b[index])
            if (x >= 0x41 && x <= 0x5A ? x | 0x20 : x) != (y >= 0x41 && y <= 0x5A ? y | 0x20 : y) { return false }
        }
        return true
    }

    /// The combined value (RFC 9421 §2.1): values trimmed and joined with ", "; nil when absent.
    public func field(_ name: String) -> String? {
        var first: String?
        for field in fields where Self.sameName(field.name, name) {
            guard first == nil else {  // several lines: combine them
                return values(of: name).map { $0.trimmingSpaces }.joined(separator: ", ")
            }
            first = field.value
        }
        return first?.trimmingSpaces
    }

    var path: String? {
        guard case .request(_, _, _, let target) = start else { return nil }
        let path = String(target.prefix { $0 != "?" })
        return path.isEmpty ? "/" : path
    }

    /// The query with its leading `?`; `?` alone when there is none (RFC 9421 §2.2.7).
    var query: String? {
        guard case .request(_, _, _, let target) = start else { return nil }
        guard let index = target.firstIndex(of: "?") else { return "?" }
        return String(target[index...])
    }
}

extension String {
    var trimmingSpaces: String {
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let head = utf8.first, let tail = utf8.last, blank(head) || blank(tail) else { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
