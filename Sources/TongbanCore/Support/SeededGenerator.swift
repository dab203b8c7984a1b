/// SplitMix64: a small deterministic generator — the same province always gets the same demo records, and a
/// randomised test can be replayed from its seed.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Changes, removes or inserts a byte of `alphabet` at random places of `bytes`, a number of times drawn from
    /// `edits`: the mutations by which tests hold a fast reader to its general twin on thousands of near-valid inputs.
    public mutating func mutate(_ bytes: inout [UInt8], alphabet: [UInt8], edits: ClosedRange<UInt64> = 1...3) {
        for _ in 0..<(edits.lowerBound + next() % (edits.upperBound - edits.lowerBound + 1)) {
            let position = bytes.isEmpty ? 0 : Int(next() % UInt64(bytes.count))
            let byte = alphabet[Int(next() % UInt64(alphabet.count))]
            switch next() % 3 {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1 where !bytes.isEmpty: bytes.remove(at: position)
            default: bytes.insert(byte, at: position)
            }
        }
    }
}
