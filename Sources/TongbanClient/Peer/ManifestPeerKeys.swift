import Foundation
import TongbanCore
import TongbanSigning

/// `PeerKeys` over one manifest and one signer: for tools, the benchmark and tests that act as a province.
public struct ManifestPeerKeys: PeerKeys {
    public let index: FederationIndex
    let fixedSigner: MessageSigner

    public init(index: FederationIndex, signer: MessageSigner) {
        self.index = index
        self.fixedSigner = signer
    }

    public func signer() -> MessageSigner { fixedSigner }

    public func answerKey(_ keyID: String, of province: ProvinceCode) throws(TongbanError) -> MessageVerificationKey {
        try index.verificationKey(keyID, of: province)
    }
}
