import Foundation

/// A correction as `GET /v1/corrections` lists it: its members, flat, plus `overdue` on the gateway's date.
public struct CorrectionListing: Codable, Sendable, Equatable {
    public var correction: Correction
    public var overdue: Bool

    public init(_ correction: Correction, today: CalendarDay) {
        self.correction = correction
        self.overdue = correction.isOverdue(today: today)
    }

    enum CodingKeys: String, CodingKey {
        case overdue
    }

    public init(from decoder: any Decoder) throws {
        correction = try Correction(from: decoder)
        overdue = try decoder.container(keyedBy: CodingKeys.self).decode(Bool.self, forKey: .overdue)
    }

    public func encode(to encoder: any Encoder) throws {
        try correction.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(overdue, forKey: .overdue)
    }
}
