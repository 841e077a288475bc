// swift-tools-version:6.0
import PackageDescription

// The Hummingbird 2 peer scripts/bench compares swiftserve with: a hello app on Hummingbird's own
// server. Its own package, so that the main build never builds Hummingbird.
let package = Package(
    name: "HummingbirdHello",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0")
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdHello",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ]
)
