import Crypto
import Foundation
import Logging
import Synchronization
import TongbanConfig
import TongbanCore
import TongbanStore

/// The province's current resource directory: loaded from `catalogue.file` at start-up, replaced by a reload
/// only when the new file is valid as a whole (otherwise every problem is logged and the old one stays).
actor CatalogueRegistry {
    private(set) var path: String?
    private(set) var resources: [CatalogueResource] {
        didSet { snapshot.withLock { $0 = resources } }
    }
    /// `resources` for readers that cannot wait for the actor (the peer fast path, on the event loop).
    private nonisolated let snapshot: Mutex<[CatalogueResource]>
    /// The last published document and its JSON, valid while the store's resource states are the same.
    private var published: (states: [String: ResourceState], publication: CataloguePublication)?

    init(path: String?, resources: [CatalogueResource]) {
        self.path = path
        self.resources = resources
        snapshot = Mutex(resources)
    }

    /// Loads the file at start-up; a problem is fatal there (the daemon refuses to start).
    static func load(path: String?) throws(TongbanError) -> CatalogueRegistry {
        guard let path else { return CatalogueRegistry(path: nil, resources: []) }
        let result = CatalogueLoader.load(path: path)
        guard let resources = result.resources else {
            throw TongbanError(.configInvalid, result.problems.map { $0.located(in: path) }.joined(separator: "; "))
        }
        return CatalogueRegistry(path: path, resources: resources)
    }

    /// Reads a directory file without putting it in force: its resources, or every problem.
    static func read(path: String?) -> (resources: [CatalogueResource]?, problems: [ConfigProblem]) {
        guard let path else { return ([], []) }
        let result = CatalogueLoader.load(path: path)
        return (result.resources, result.problems)
    }

    /// Puts a directory read by `read(path:)` in force.
    func replace(path: String?, resources: [CatalogueResource]) {
        self.path = path
        self.resources = resources
        published = nil
    }

    func resource(_ code: String) -> CatalogueResource? { resources.first { $0.code == code } }

    /// `resource(_:)` without a hop to the actor: the directory in force as the last `replace` left it.
    nonisolated func resourceNow(_ code: String) -> CatalogueResource? { snapshot.withLock { $0.first { $0.code == code } } }

    /// The published document: the file's resources with record counts and modification times from the store.
    func document(province: ProvinceCode, name: String, store: any ProvinceStore) async throws(TongbanError) -> CatalogueDocument {
        try await publication(province: province, name: name, store: store).document
    }

    /// The published document and its JSON, built again only when the directory or the store changed.
    func publication(province: ProvinceCode, name: String, store: any ProvinceStore) async throws(TongbanError) -> CataloguePublication {
        let states = try await store.resourceStates()
        if let published, published.states == states { return published.publication }
        let resources = self.resources.map { resource -> CatalogueResource in
            var resource = resource
            if let state = states[resource.code] {
                resource.recordCount = state.recordCount
                resource.modifiedAt = ISO8601.string(state.modifiedAt)
            } else {
                resource.recordCount = 0
            }
            return resource
        }
        let document = CatalogueDocument(province: province.rawValue, name: name, version: Self.version(of: resources), resources: resources)
        let json: Data
        do { json = try JSONCoding.encoder().encode(document) } catch {
            throw TongbanError(.internalError, "cannot encode the resource directory: \(error)")
        }
        let publication = CataloguePublication(document: document, json: json)
        published = (states, publication)
        return publication
    }

    /// First 16 bytes of the SHA-256 of the resources' canonical JSON, in hex.
    static func version(of resources: [CatalogueResource]) -> String {
        let data = (try? JSONCoding.encoder().encode(resources)) ?? Data()
        return SHA256.hash(data: data).prefix(16).hexString
    }
}
