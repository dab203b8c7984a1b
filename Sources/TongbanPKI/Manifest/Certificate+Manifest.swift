import Foundation
import SwiftASN1
import TongbanCore
import X509

extension Certificate.PublicKey {
    /// Base64 DER SubjectPublicKeyInfo, as the manifest carries a signing key.
    public var spkiBase64: String {
        var serializer = DER.Serializer()
        try? serializer.serialize(self)
        return Data(serializer.serializedBytes).base64EncodedString()
    }
}

extension Certificate {
    /// The serial number in lowercase hex, without leading zeros: how a revocation names a certificate.
    public var serialHex: String {
        ManifestRevocation.normalizedSerial(serialNumber.bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined())
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
