import Foundation

/// The federation's one signed description of itself (`docs/protocol.md`, "The federation manifest"): who the
/// members are, where they answer, which TLS keys and signing keys speak for them, what is revoked, the national
/// matters list and the protocol settings every gateway applies. The national hub (the federation authority)
/// signs it as a JWS (`ManifestJWS`, TongbanPKI); every gateway runs from the last good copy it verified.
public struct FederationManifest: Codable, Sendable, Equatable {
    /// The only format this version reads; a document naming another is refused.
    public static let currentFormat = "tongban-federation-manifest/1"

    public var format: String
    /// The federation's id (e.g. `cn-tongban`): a gateway refuses a manifest of another federation.
    public var federation: String
    /// Grows with every signed manifest; a gateway never goes back to a lower one (rollback).
    public var serial: Int
    public var issuedAt: Date
    /// Past this (and the gateway's grace), exchanges are refused until a fresh manifest arrives (fail-closed).
    public var expiresAt: Date
    public var `protocol`: FederationProtocolSettings
    public var members: [FederationMember]
    public var revocations: [ManifestRevocation]
    /// The national matters list (跨省通办事项清单).
    public var matters: [Matter]

    public init(federation: String, serial: Int, issuedAt: Date, expiresAt: Date, protocol settings: FederationProtocolSettings = .init(),
                members: [FederationMember] = [], revocations: [ManifestRevocation] = [], matters: [Matter] = []) {
        self.format = Self.currentFormat
        self.federation = federation
        self.serial = serial
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.protocol = settings
        self.members = members
        self.revocations = revocations
        self.matters = matters
    }

    public func member(_ province: ProvinceCode) -> FederationMember? { members.first { $0.province == province.rawValue } }
}
