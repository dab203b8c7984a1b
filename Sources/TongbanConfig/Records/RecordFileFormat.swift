/// The two formats `tongbanctl import` reads: CSV with a header row, or JSON Lines (one object per line).
public enum RecordFileFormat: String, Sendable, CaseIterable {
    case csv, jsonl
}
