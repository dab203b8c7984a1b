/// One generated hostile request: the bytes to send, where, and what it must get.
struct HostileCase: Sendable {
    let index: Int
    let hostileClass: HostileClass
    /// The mutation, e.g. `@path spelled /v1/./ping`; with the seed and the index it names the case in a report.
    let name: String
    let target: HostileTarget
    let bytes: [UInt8]
    let verdict: HostileVerdict
    /// HEAD request (or CONNECT, whose answers swift-nio sends without a body and without framing): the answer has no body.
    var head = false
    /// The bytes leave the connection in an unknown state (framing tricks, parser errors): send on a fresh connection
    /// and close it after.
    var fresh = false

    /// The request as text for a report, non-printable bytes escaped, cut to `limit` characters.
    func printable(limit: Int = 600) -> String {
        var text = ""
        for byte in bytes.prefix(limit) {
            switch byte {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n\n"
            case 0x20...0x7E: text.append(Character(UnicodeScalar(byte)))
            default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return bytes.count > limit ? text + "… (\(bytes.count) bytes)" : text
    }
}
