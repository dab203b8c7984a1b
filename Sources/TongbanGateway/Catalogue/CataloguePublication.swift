import Foundation
import TongbanCore

/// The directory as published: the document and its JSON (sorted keys, ISO 8601 dates), built once per change.
struct CataloguePublication: Sendable {
    let document: CatalogueDocument
    let json: Data
}
