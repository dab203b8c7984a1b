import Foundation
import TongbanCore
import TongbanSigning

/// `PeerKeys` over a manifest and one signer: for tools, the benchmark and tests that act as a province. The
/// manifest is either fixed, or read again on every call (a test whose authority signs a rotation meanwhile).
public struct ManifestPeerKeys: PeerKeys {
    let index: @Sendable () throws(TongbanError) -> FederationIndex
    let fixedSigner: MessageSigner

    public init(index: FederationIndex, signer: MessageSigner) {
        self.index = { index }
        self.fixedSigner = signer
    }

    public init(reading manifest: @escaping @Sendable () throws(TongbanError) -> FederationManifest, signer: MessageSigner) {
        self.index = { () throws(TongbanError) in FederationIndex(try manifest()) }
        self.fixedSigner = signer
    }

    public func signer(for province: ProvinceCode) -> MessageSigner { fixedSigner }

    public func answerKey(_ keyID: String, of province: ProvinceCode) throws(TongbanError) -> MessageVerificationKey {
        try index().verificationKey(keyID, of: province)
    }
}
