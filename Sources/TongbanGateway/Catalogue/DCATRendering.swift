import TongbanCore

/// The directory as a DCAT-AP 3 catalogue in JSON-LD: one `dcat:Catalog` published by the province, a
/// `dcat:Dataset` per resource with a `dcat:Distribution` reached through the gateway's `dcat:DataService`.
/// Carries DCAT-AP's mandatory properties (catalogue title, description, publisher; dataset title and
/// description; distribution access URL; data service title and endpoint URL).
enum DCATRendering {
    static let context: JSONValue = [
        "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
        "xsd": "http://www.w3.org/2001/XMLSchema#", "skos": "http://www.w3.org/2004/02/skos/core#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    ]

    static func render(_ document: CatalogueDocument, endpoint: String) -> JSONValue {
        let base = "\(endpoint)/v1/catalogue"
        let serviceID = base + "#service"
        let publisher: JSONValue = [
            "@id": .string(ProvinceURI.prefix + document.province), "@type": "foaf:Agent",
            "foaf:name": text(document.name),
        ]
        let datasets: [JSONValue] = document.resources.map { resource in
            let id = "\(base)#dataset-\(resource.code)"
            return [
                "@id": .string(id), "@type": "dcat:Dataset",
                "dct:identifier": .string(resource.code),
                "dct:title": text(resource.name),
                "dct:description": text(resource.summary),
                "dct:publisher": ["@id": .string("urn:tongban:provider:" + resource.provider.code), "@type": "foaf:Agent",
                                  "foaf:name": text(resource.provider.name)],
                "dct:issued": ["@value": .string(resource.publishedAt), "@type": "xsd:date"],
                "dct:modified": ["@value": .string(resource.modifiedAt), "@type": "xsd:dateTime"],
                "dcat:keyword": .array(resource.category.path.map { text($0) }),
                "dct:accessRights": [
                    "@id": .string("urn:tongban:share-type:" + resource.sharing.type.rawValue), "@type": "dct:RightsStatement",
                    "rdfs:label": text("\(resource.sharing.type.chineseName) (\(resource.sharing.type.rawValue))"),
                ],
                "dcat:distribution": [[
                    "@id": .string("\(base)#distribution-\(resource.code)"), "@type": "dcat:Distribution",
                    "dct:title": text("\(resource.name) — Tongban query API"),
                    "dcat:accessURL": ["@id": .string("\(endpoint)/v1/query")],
                    "dcat:accessService": ["@id": .string(serviceID)],
                    "dcat:mediaType": ["@id": "https://www.iana.org/assignments/media-types/application/json"],
                ]],
            ]
        }
        let service: JSONValue = [
            "@id": .string(serviceID), "@type": "dcat:DataService",
            "dct:title": text("\(document.name) Tongban gateway"),
            "dcat:endpointURL": ["@id": .string(endpoint + "/v1")],
            "dcat:servesDataset": .array(document.resources.map { ["@id": .string("\(base)#dataset-\($0.code)")] }),
        ]
        return [
            "@context": context,
            "@id": .string(base + "#catalog"), "@type": "dcat:Catalog",
            "dct:title": text("\(document.name) 政务信息资源目录"),
            "dct:description": text("\(document.name)（\(document.province)）通过通办网关向其他省份发布的政务信息资源目录，版本 \(document.version)。"),
            "dct:publisher": publisher,
            "dct:modified": ["@value": .string(ISO8601.string(document.generatedAt)), "@type": "xsd:dateTime"],
            "dcat:dataset": .array(datasets),
            "dcat:service": [service],
        ]
    }

    static func text(_ value: String) -> JSONValue { ["@value": .string(value), "@language": "zh"] }
}
