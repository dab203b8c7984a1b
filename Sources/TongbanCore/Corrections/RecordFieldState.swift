import Foundation

/// One field of one stored record as it stands now: its value as canonical JSON text (nil when the record lacks the
/// field) and when the record last changed (`updated_at`, which an import sets only when a record's fields change).
/// What the provider compares to decide whether a correction was really made.
public struct RecordFieldState: Codable, Sendable, Equatable {
    public var value: String?
    public var updatedAt: Date

    public init(value: String?, updatedAt: Date) {
        self.value = value
        self.updatedAt = updatedAt
    }
}
