import TongbanClient
import TongbanCore
import TongbanSigning

/// `PeerKeys` for a test's own peer client: a fixed signer, and callees' keys from the test federation's manifest
/// as last signed (read again on every call, so a rotation during a test is seen as a gateway would see it).
public struct TestPeerKeys: PeerKeys {
    let federation: TestFederation
    let fixedSigner: MessageSigner

    public init(federation: TestFederation, signer: MessageSigner) {
        self.federation = federation
        self.fixedSigner = signer
    }

    public func signer() -> MessageSigner { fixedSigner }

    public func answerKey(_ keyID: String, of province: ProvinceCode) throws(TongbanError) -> MessageVerificationKey {
        let manifest: FederationManifest
        do { manifest = try federation.manifest() } catch { throw TongbanError(.internalError, "the test manifest cannot be read: \(error)") }
        return try FederationIndex(manifest).verificationKey(keyID, of: province)
    }
}
