import SwiftASN1
import X509

extension ExtendedKeyUsage.Usage {
    /// The federation authority's usage: signing the federation manifest; only the authority's certificate carries
    /// it. The OID sits under the joint ISO/ITU-T example arc (2.999) until the federation registers an arc of its
    /// own: it need only be unique under the federation's root, which issues nothing but federation certificates.
    public static let federationAuthority = ExtendedKeyUsage.Usage(oid: [2, 999, 86, 1, 1])
}
