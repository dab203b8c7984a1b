// swift-tools-version: 6.1
// libFuzzer targets for Tongban's hand-written parsers (`make fuzz`, docs/fuzzing.md). A package of its own, so that
// a plain `swift build` or `make test` of Tongban never builds them: they are built only with the fuzzer's flags,
// `make fuzz-build` (release, `-Xswiftc -sanitize=fuzzer,address`, linked with lld). Each target's main.swift
// hands its check to libFuzzer's driver (`Fuzz.run`), since SwiftPM links an executable's `main` under its own name.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One executable per target; `name` is what `make fuzz FUZZ_TARGETS=…` and `Corpus/<name>/` call it.
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzSupport"] + dependencies, swiftSettings: swiftSettings)
}

let tongban = "Tongban"
let structuredHeaders = Target.Dependency.product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers")

let package = Package(
    name: "TongbanFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: tongban, path: ".."),
        .package(url: "https://github.com/apple/swift-http-structured-headers.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], swiftSettings: swiftSettings),
        fuzzer("sf", [.product(name: "TongbanSigning", package: tongban), structuredHeaders]),
        fuzzer("json", [.product(name: "TongbanCore", package: tongban)]),
        fuzzer("signature", [.product(name: "TongbanSigning", package: tongban), structuredHeaders]),
        fuzzer("digest", [.product(name: "TongbanSigning", package: tongban), .product(name: "TongbanGM", package: tongban),
                          .product(name: "Crypto", package: "swift-crypto"), structuredHeaders]),
        fuzzer("sm2", [.product(name: "TongbanGM", package: tongban)]),
        fuzzer("manifest", [.product(name: "TongbanPKI", package: tongban), .product(name: "TongbanCore", package: tongban),
                            .product(name: "Crypto", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates")]),
        fuzzer("config", [.product(name: "TongbanConfig", package: tongban)]),
        fuzzer("uuid", [.product(name: "TongbanCore", package: tongban)]),
        fuzzer("time", [.product(name: "TongbanCore", package: tongban)]),
        fuzzer("canonical", [.product(name: "TongbanSigning", package: tongban)]),
        fuzzer("import", [.product(name: "TongbanConfig", package: tongban), .product(name: "TongbanCore", package: tongban)]),
    ]
)
