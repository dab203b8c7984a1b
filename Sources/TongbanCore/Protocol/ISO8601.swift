import Foundation

/// ISO 8601 timestamps in UTC, as every Tongban document writes them.
public enum ISO8601 {
    /// `yyyy-MM-ddTHH:mm:ssZ`, as `JSONEncoder`'s `.iso8601` writes it, without a formatter per call.
    public static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        if (0...9999).contains(year) {
            // Twenty ASCII bytes written in place: a batch answer writes one per record.
            return String(unsafeUninitializedCapacity: 20) { bytes in
                func put(_ value: Int, width: Int, at offset: Int) {
                    var value = value
                    for index in stride(from: offset + width - 1, through: offset, by: -1) {
                        bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, width: 4, at: 0)
                put(Int(parts.tm_mon) + 1, width: 2, at: 5)
                put(Int(parts.tm_mday), width: 2, at: 8)
                put(Int(parts.tm_hour), width: 2, at: 11)
                put(Int(parts.tm_min), width: 2, at: 14)
                put(Int(parts.tm_sec), width: 2, at: 17)
                for (offset, separator) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z")] as [(Int, Unicode.Scalar)] {
                    bytes[offset] = UInt8(ascii: separator)
                }
                return 20
            }
        }
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "Z"
    }
}
