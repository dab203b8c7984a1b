import Crypto
import Foundation
import TongbanClient
import TongbanGM
import TongbanSigning

/// The in-process P-256 rates the modelled bound uses: signatures made and verified per second on one core,
/// over a message the size of a Tongban signature base; and the SM2 rates through the path exchanges take
/// (`MessageSigningKey.sm2`: the system libcrypto, the raw r‖s encoding), beside `openssl speed sm2`.
enum CryptoReference {
    struct Rates: Codable, Sendable {
        var signPerSecond: Double
        var verifyPerSecond: Double
    }

    static let base = String(repeating: "\"@method\": POST\n\"@authority\": 127.0.0.1:20001\n", count: 6)

    static func measure(seconds: Double = 2) -> Rates {
        let key = P256.Signing.PrivateKey()
        let message = Data(base.utf8)
        let signature = try! key.signature(for: message)
        let sign = rate(seconds) { (try? key.signature(for: message)) != nil }
        let verify = rate(seconds) { key.publicKey.isValidSignature(signature, for: message) }
        return Rates(signPerSecond: sign, verifyPerSecond: verify)
    }

    /// SM2 with SM3 and the default distinguishing ID, as a gateway signs and verifies a signature base.
    static func measureSM2(seconds: Double = 2) throws -> Rates {
        let key = MessageSigningKey.sm2(try SM2PrivateKey())
        let signature = try key.sign(base)
        let verifier = key.verificationKey
        let sign = rate(seconds) { (try? key.sign(base)) != nil }
        let verify = rate(seconds) { verifier.isValid(signature, for: base) }
        return Rates(signPerSecond: sign, verifyPerSecond: verify)
    }

    /// `openssl speed -seconds N sm2` on this core (its "256 bits SM2 (CurveSM2)" line), or nil when it fails. It is
    /// started with default signals: it times itself with SIGALRM, which this process's threads keep blocked.
    static func opensslSM2(seconds: Int = 2, directory: String) -> Rates? {
        let log = directory + "/openssl-speed-sm2.txt"
        try? FileManager.default.removeItem(atPath: log)
        guard let pid = try? DaemonProcess.spawn(executable: "/usr/bin/openssl", arguments: ["speed", "-seconds", String(max(seconds, 1)), "sm2"],
                                                 log: log, environment: ["PATH": "/usr/bin:/bin"], newSession: false, defaultSignals: true)
        else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // " 256 bits SM2 (CurveSM2)   0.0004s   0.0004s   2334.2   2282.7"
        guard let line = output.split(separator: "\n").last(where: { $0.contains("SM2 (") }) else { return nil }
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        guard numbers.count >= 3 else { return nil }
        return Rates(signPerSecond: numbers[numbers.count - 2], verifyPerSecond: numbers[numbers.count - 1])
    }

    static func rate(_ seconds: Double, _ body: () -> Bool) -> Double {
        let clock = ContinuousClock()
        var count = 0
        let start = clock.now
        let end = start + .milliseconds(Int64(seconds * 1000))
        while clock.now < end {
            for _ in 0..<10 { precondition(body()) }
            count += 10
        }
        return Double(count) / LoadGenerator.seconds(clock.now - start)
    }
}
