import Foundation

/// An application as `GET /v1/applications` lists it: its members, flat, plus `overdue` on the gateway's date.
public struct ApplicationListing: Codable, Sendable, Equatable {
    public var application: SharingApplication
    public var overdue: Bool

    public init(_ application: SharingApplication, today: CalendarDay) {
        self.application = application
        self.overdue = application.isOverdue(today: today)
    }

    enum CodingKeys: String, CodingKey {
        case overdue
    }

    public init(from decoder: any Decoder) throws {
        application = try SharingApplication(from: decoder)
        overdue = try decoder.container(keyedBy: CodingKeys.self).decode(Bool.self, forKey: .overdue)
    }

    public func encode(to encoder: any Encoder) throws {
        try application.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(overdue, forKey: .overdue)
    }
}
