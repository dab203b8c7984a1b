import Foundation
import TongbanCore
import TongbanPKI

/// Keeps the last good manifest in the state directory, written whole or not at all (a temporary file renamed).
enum FederationPersistence {
    static func save(_ jws: String, stateDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        try PEMFile.replace(stateDirectory + "/" + StateFiles.federationManifest, with: jws + "\n", mode: 0o600)
    }
}
