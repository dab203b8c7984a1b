import Foundation

/// ISO 8601 timestamps in UTC, as every Tongban document writes them.
public enum ISO8601 {
    public static func string(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
