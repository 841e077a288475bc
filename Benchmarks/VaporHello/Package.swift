// swift-tools-version:6.0
import PackageDescription

// The Vapor 4 peer scripts/bench compares the Vapor adapter with: the adapter's example application's
// `/hello` on Vapor's own server. Its own package, so that the main build never builds Vapor.
let package = Package(
    name: "VaporHello",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .executableTarget(
            name: "VaporHello",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
