import Foundation

/// A grant as `GET /v1/grants` lists it: its members, flat, plus its `state` on the gateway's clock.
public struct GrantListing: Codable, Sendable, Equatable {
    public var grant: Grant
    public var state: GrantState

    public init(_ grant: Grant, at now: Date) {
        self.grant = grant
        self.state = grant.state(at: now)
    }

    enum CodingKeys: String, CodingKey {
        case state
    }

    public init(from decoder: any Decoder) throws {
        grant = try Grant(from: decoder)
        state = try decoder.container(keyedBy: CodingKeys.self).decode(GrantState.self, forKey: .state)
    }

    public func encode(to encoder: any Encoder) throws {
        try grant.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
    }
}
