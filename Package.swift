// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Tongban",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tongband", targets: ["tongband"]),
        .executable(name: "tongbanctl", targets: ["tongbanctl"]),
        .executable(name: "tongban-bench", targets: ["tongban-bench"]),
        // For `Fuzz/Package.swift` (`make fuzz`), which depends on this package by path: a plain `swift build` of
        // this package builds every target anyway, so these change nothing here.
        .library(name: "TongbanCore", targets: ["TongbanCore"]),
        .library(name: "TongbanGM", targets: ["TongbanGM"]),
        .library(name: "TongbanSigning", targets: ["TongbanSigning"]),
        .library(name: "TongbanPKI", targets: ["TongbanPKI"]),
        .library(name: "TongbanConfig", targets: ["TongbanConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-structured-headers.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Domain: province codes, citizen ID numbers, identities, errors, the working-day calendar. Foundation only, no NIO.
        .target(
            name: "TongbanCore",
            exclude: ["Divisions/gb2260-codes.tsv", "Calendar/cn-workday-calendar.tsv"],
            swiftSettings: swiftSettings
        ),
        // Federation PKI: issuing and verifying province certificates.
        .target(
            name: "TongbanPKI",
            dependencies: [
                "TongbanCore",
                "TongbanGM",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // RFC 9421 HTTP Message Signatures and RFC 9530 Content-Digest, with the Tongban profile. No server code.
        .target(
            name: "TongbanSigning",
            dependencies: [
                "TongbanCore",
                "TongbanGM",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
            ],
            swiftSettings: swiftSettings
        ),
        // The one caller of the system's OpenSSL libcrypto (pkg-config `libcrypto`, Debian `libssl-dev`): SM2, SM3,
        // HMAC-SM3 in C. Its header names no OpenSSL type, so nothing reaches Swift beside swift-crypto's BoringSSL.
        .target(
            name: "CTongbanGM",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // The national algorithms (国密) for Swift: `SM3`, `HMACSM3`, `SM2PrivateKey`, `SM2PublicKey`.
        .target(
            name: "TongbanGM",
            dependencies: ["TongbanCore", "CTongbanGM"],
            swiftSettings: swiftSettings
        ),
        // The operator's files: the daemon's configuration (parsing, environment overrides, validation), the catalogue,
        // the matters, and record import files (CSV, JSON Lines).
        .target(
            name: "TongbanConfig",
            dependencies: [
                "TongbanCore",
                "TongbanPKI",
                "TongbanSigning",
                "TongbanGM",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Embedded SQLite state store.
        .target(
            name: "TongbanStore",
            dependencies: [
                "TongbanCore",
                "TongbanGM",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The PostgreSQL store (`store.kind: postgresql`): the same `ProvinceStore` on a database that several
        // replicas of one province share (docs/deployment.md, "Two or more machines").
        .target(
            name: "TongbanPostgres",
            dependencies: [
                "TongbanCore",
                "TongbanStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Outbound side: the peer client (mutual TLS) and the admin client (unix socket).
        .target(
            name: "TongbanClient",
            dependencies: [
                "TongbanCore",
                "TongbanSigning",
                "TongbanPKI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // The daemon: listeners, middleware, routes, lifecycle, systemd integration.
        .target(
            name: "TongbanGateway",
            dependencies: [
                "TongbanCore",
                "TongbanSigning",
                "TongbanPKI",
                "TongbanConfig",
                "TongbanStore",
                "TongbanPostgres",
                "TongbanClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tongband",
            dependencies: [
                "TongbanGateway",
                "TongbanConfig",
                "TongbanClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The link layout `make release` passes to the linker (docs/performance.md, "Idle memory").
            exclude: ["startup.order"],
            swiftSettings: swiftSettings
        ),
        // A local federation on loopback with synthetic but valid records: `tongbanctl demo` and the benchmark.
        .target(
            name: "TongbanDemo",
            dependencies: ["TongbanCore", "TongbanPKI", "TongbanClient"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tongbanctl",
            dependencies: [
                "TongbanCore",
                "TongbanPKI",
                "TongbanConfig",
                "TongbanClient",
                "TongbanDemo",
                "TongbanStore",
                "TongbanPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `make bench`: drives a gateway over mutual TLS with signed requests and reports throughput and latency.
        .executableTarget(
            name: "tongban-bench",
            dependencies: [
                "TongbanCore",
                "TongbanPKI",
                "TongbanConfig",
                "TongbanSigning",
                "TongbanGM",
                "TongbanClient",
                "TongbanDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TongbanTestKit",
            dependencies: [
                "TongbanCore", "TongbanPKI", "TongbanConfig", "TongbanClient", "TongbanSigning", "TongbanDemo",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/TongbanTestKit",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TongbanCoreTests", dependencies: ["TongbanCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TongbanSigningTests",
            dependencies: [
                "TongbanSigning", "TongbanCore", "TongbanTestKit", "TongbanGM",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TongbanGMTests",
            dependencies: [
                "TongbanGM", "TongbanCore", "TongbanTestKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TongbanPKITests",
            dependencies: [
                "TongbanPKI", "TongbanTestKit",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TongbanStoreTests",
            dependencies: ["TongbanStore", "TongbanPostgres", "TongbanDemo", "TongbanCore", "TongbanGM", "TongbanTestKit", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TongbanConfigTests",
            dependencies: ["TongbanConfig", "TongbanTestKit"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TongbanClientTests",
            dependencies: [
                "TongbanClient", "TongbanCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TongbanGatewayTests",
            dependencies: [
                "TongbanGateway", "TongbanClient", "TongbanTestKit", "TongbanDemo", "TongbanSigning", "TongbanGM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
