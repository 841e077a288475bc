// swift-tools-version:6.0
import PackageDescription

// A libFuzzer target over swiftserve's request path, in a package of its own so that the main
// build never needs the fuzzer sanitizer. Build and run it with scripts/fuzz.
let package = Package(
    name: "swiftserve-fuzz",
    dependencies: [
        // swiftserve is a symlink to the repository root, so the dependency is named swiftserve.
        .package(path: "swiftserve"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzRequestPath",
            dependencies: [
                .product(name: "SwiftServe", package: "swiftserve"),
                .product(name: "ParserDifferential", package: "swiftserve"),
                .product(name: "SSGI", package: "swiftserve"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // libFuzzer provides main: the target defines LLVMFuzzerTestOneInput and no top-level code.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
