/// Lower-case hexadecimal text of bytes (digests, key ids), without `String(format:)`, which costs about a
/// microsecond per byte on Linux and showed up in the benchmark's profile.
extension Sequence where Element == UInt8 {
    public var hexString: String {
        if let text = withContiguousStorageIfAvailable(hexText) { return text }
        return Array(self).withUnsafeBufferPointer(hexText)
    }
}

/// The text written straight into the string's storage (the audit writer hexes every entry's hash).
private func hexText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        for (index, byte) in bytes.enumerated() {
            out[2 * index] = hexDigit(byte >> 4)
            out[2 * index + 1] = hexDigit(byte & 0x0f)
        }
        return bytes.count * 2
    }
}

private func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? 0x30 + value : 0x57 + value
}
