import TongbanCore

extension SeededGenerator {
    /// The generator of case `index` of the run seeded `seed`: each case is reproducible alone, whatever ran before it
    /// (`TONGBAN_ADVERSARIAL_SEED` and `TONGBAN_ADVERSARIAL_CASE` replay one).
    init(seed: UInt64, case index: Int) {
        var mixer = SeededGenerator(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        self.init(seed: mixer.next())
    }

    /// A version 4 UUID in canonical lower-case form, drawn from this generator.
    mutating func uuid() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &self) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array(bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }
}
