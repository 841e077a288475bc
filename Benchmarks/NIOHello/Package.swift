// swift-tools-version:6.0
import PackageDescription

// The floor scripts/bench compares swiftserve with: the smallest HTTP/1.1 server SwiftNIO makes
// with its standard `configureHTTPServerPipeline`. Its own package, so that the main build never
// builds it.
let package = Package(
    name: "NIOHello",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0")
    ],
    targets: [
        .executableTarget(
            name: "NIOHello",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        )
    ]
)
