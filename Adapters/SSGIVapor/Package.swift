// swift-tools-version:6.0
import PackageDescription

// The folder is named SSGIVapor, not Vapor: SwiftPM names a root package after its folder, and a root
// package named `vapor` would hide the `vapor` dependency below. `../swiftserve` is the symlink
// Adapters/swiftserve, which points at the repository root, so the dependency's identity is `swiftserve`.
let package = Package(
    name: "SSGIVapor",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SSGIVapor", targets: ["SSGIVapor"]),
        .library(name: "vaporexample", type: .dynamic, targets: ["VaporExample"]),
        .library(name: "vaporstartupfailure", type: .dynamic, targets: ["VaporStartupFailure"]),
    ],
    dependencies: [
        .package(path: "../swiftserve"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .target(
            name: "SSGIVapor",
            dependencies: [
                .product(name: "SSGI", package: "swiftserve"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "VaporExample",
            dependencies: [
                "SSGIVapor",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .target(
            name: "VaporStartupFailure",
            dependencies: [
                "SSGIVapor",
                .product(name: "Vapor", package: "vapor"),
            ],
            path: "Tests/Plugins/VaporStartupFailure"
        ),
        .testTarget(
            name: "SSGIVaporTests",
            dependencies: [
                .product(name: "SwiftServeTesting", package: "swiftserve")
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
