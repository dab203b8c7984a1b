import Foundation
import TongbanCore
import SwiftASN1
import X509

/// Reading and writing PEM files, with private keys created as mode 0600 and never overwritten by accident.
public enum PEMFile {
    public static func readCertificates(_ path: String) throws(TongbanError) -> [Certificate] {
        let text = try readText(path)
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: text) } catch {
            throw TongbanError(.pkiInvalid, "\(path): not a PEM file (\(error))")
        }
        var certificates: [Certificate] = []
        for document in documents where document.discriminator == "CERTIFICATE" {
            do { certificates.append(try Certificate(pemDocument: document)) } catch {
                throw TongbanError(.pkiInvalid, "\(path): a CERTIFICATE block does not parse (\(error))")
            }
        }
        guard !certificates.isEmpty else { throw TongbanError(.pkiInvalid, "\(path): no CERTIFICATE block") }
        return certificates
    }

    public static func readCertificate(_ path: String) throws(TongbanError) -> Certificate {
        try readCertificates(path)[0]
    }

    public static func readPrivateKey(_ path: String) throws(TongbanError) -> Certificate.PrivateKey {
        let text = try readText(path)
        do { return try Certificate.PrivateKey(pemEncoded: text) } catch {
            throw TongbanError(.pkiInvalid, "\(path): not a PEM private key (\(error))")
        }
    }

    public static func readText(_ path: String) throws(TongbanError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TongbanError(.pkiInvalid, exists ? "\(path): not readable" : "\(path): no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw TongbanError(.pkiInvalid, "\(path): not text") }
        return text
    }

    public static func write(_ certificate: Certificate, to path: String) throws {
        try write(text: try certificate.serializeAsPEM().pemString + "\n", to: path, mode: 0o644)
    }

    public static func write(_ certificates: [Certificate], to path: String) throws {
        let text = try certificates.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
        try write(text: text, to: path, mode: 0o644)
    }

    /// Writes a private key readable by its owner only. The file is created with mode 0600 (never wider,
    /// whatever the umask) and an existing file is refused.
    public static func write(_ key: Certificate.PrivateKey, to path: String) throws {
        try write(privateKeyText: try key.serializeAsPEM().pemString + "\n", to: path)
    }

    /// Writes a private key's PEM text (an SM2 key's, which `Certificate.PrivateKey` cannot hold) the same way.
    public static func write(privateKeyText text: String, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TongbanError(.pkiInvalid, "\(path) already exists: refusing to overwrite a private key")
        }
        try write(text: text.hasSuffix("\n") ? text : text + "\n", to: path, mode: 0o600)
    }

    /// Replaces `path` with `text` atomically (a sibling temporary file renamed over it), so a reader — the
    /// daemon reloading — sees the old file or the new one, never half of one. Keys keep mode 0600.
    public static func replace(_ path: String, with text: String, mode: mode_t) throws {
        let temporary = path + ".new"
        unlink(temporary)
        try write(text: text, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TongbanError(.pkiInvalid, "\(path): cannot replace (\(String(cString: strerror(errno))))")
        }
    }

    static func write(text: String, to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw TongbanError(.pkiInvalid, "\(path): cannot create (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { throw TongbanError(.pkiInvalid, "\(path): cannot set mode") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw TongbanError(.pkiInvalid, "\(path): write failed") }
            written += n
        }
    }
}
