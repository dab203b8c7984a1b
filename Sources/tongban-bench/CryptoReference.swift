import Crypto
import Foundation

/// The in-process P-256 rates the modelled bound uses: signatures made and verified per second on one core,
/// over a message the size of a Tongban signature base.
enum CryptoReference {
    struct Rates: Codable, Sendable {
        var signPerSecond: Double
        var verifyPerSecond: Double
    }

    static func measure(seconds: Double = 2) -> Rates {
        let key = P256.Signing.PrivateKey()
        let message = Data(String(repeating: "\"@method\": POST\n\"@authority\": 127.0.0.1:20001\n", count: 6).utf8)
        let signature = try! key.signature(for: message)
        let clock = ContinuousClock()

        func rate(_ body: () -> Bool) -> Double {
            var count = 0
            let start = clock.now
            let end = start + .milliseconds(Int64(seconds * 1000))
            while clock.now < end {
                for _ in 0..<50 { precondition(body()) }
                count += 50
            }
            return Double(count) / LoadGenerator.seconds(clock.now - start)
        }
        let sign = rate { (try? key.signature(for: message)) != nil }
        let verify = rate { key.publicKey.isValidSignature(signature, for: message) }
        return Rates(signPerSecond: sign, verifyPerSecond: verify)
    }
}
