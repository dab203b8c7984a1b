/// The Tongban release, reported by `/v1/identity`, `tongband --version` and `tongbanctl --version`.
public enum TongbanVersion {
    public static let current = "0.1.0"
}
