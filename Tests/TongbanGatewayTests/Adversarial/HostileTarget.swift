/// Where a case is sent.
enum HostileTarget: Sendable, Hashable {
    /// The peer listener over mutual TLS, as the calling province.
    case peer
    /// The peer listener over TLS without a client certificate.
    case peerWithoutCertificate
    /// The peer listener over TLS with a certificate of another federation's root.
    case peerWithForeignCertificate
    /// The peer listener in plain TCP (no TLS).
    case peerPlain
    /// The local listener (plain HTTP).
    case local
    /// The local listener, spoken to in TLS.
    case localTLS
    /// The admin socket.
    case admin

    /// Whether a refusal here must be a signed problem (the peer listener signs every answer it gives).
    var signsRefusals: Bool { self == .peer }
}
