// swift-tools-version:6.0
import PackageDescription

// The package lives in Adapters/SSGIHummingbird, not Adapters/Hummingbird: SwiftPM names a root
// package after its folder, and a root package named `hummingbird` hides the `hummingbird` dependency.
let package = Package(
    name: "SSGIHummingbird",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SSGIHummingbird", targets: ["SSGIHummingbird"]),
        .library(name: "hummingbirdexample", type: .dynamic, targets: ["HummingbirdExample"]),
        .library(name: "hummingbirdstartupfailure", type: .dynamic, targets: ["HummingbirdStartupFailure"]),
    ],
    dependencies: [
        .package(path: "../swiftserve"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
    ],
    targets: [
        .target(
            name: "SSGIHummingbird",
            dependencies: [
                .product(name: "SSGI", package: "swiftserve"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "HummingbirdExample",
            dependencies: [
                "SSGIHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "HummingbirdStartupFailure",
            dependencies: [
                "SSGIHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Tests/Plugins/HummingbirdStartupFailure"
        ),
        .testTarget(
            name: "SSGIHummingbirdTests",
            dependencies: [
                "SSGIHummingbird",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SSGI", package: "swiftserve"),
                .product(name: "SwiftServeTesting", package: "swiftserve"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
