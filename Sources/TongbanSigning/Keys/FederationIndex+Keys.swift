import Foundation
import TongbanCore

extension FederationIndex {
    /// The verification key `keyID` of `province` at `time`, as `signingKey(_:of:at:)` decides, or the refusal as an error.
    public func verificationKey(_ keyID: String, of province: ProvinceCode, at time: Date = Date()) throws(TongbanError) -> MessageVerificationKey {
        switch signingKey(keyID, of: province, at: time) {
        case .failure(let refusal): throw TongbanError(refusal.code, refusal.reason)
        case .success(let entry):
            guard let key = MessageVerificationKey(entry, sm2ID: Array(manifest.protocol.sm2ID.utf8)) else {
                throw TongbanError(.signatureInvalid, "key \(keyID.prefix(16)) of province \(province) in the manifest does not read as \(entry.alg)")
            }
            return key
        }
    }
}
