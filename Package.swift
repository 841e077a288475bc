// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swiftserve",
    products: [
        .executable(name: "swiftserve", targets: ["SwiftServeCommand"]),
        .library(name: "SSGI", targets: ["SSGI"]),
        .library(name: "SwiftServe", targets: ["SwiftServe"]),
        .library(name: "SwiftServeTesting", targets: ["SwiftServeTesting"]),
        .library(name: "ParserDifferential", targets: ["ParserDifferential"]),
        .library(name: "Pyramidish", targets: ["Pyramidish"]),
        .library(name: "Flaskish", targets: ["Flaskish"]),
        .library(name: "Djangoish", targets: ["Djangoish"]),
        .library(name: "barebones", type: .dynamic, targets: ["Barebones"]),
        .library(name: "environ", type: .dynamic, targets: ["EnvironApp"]),
        .library(name: "echo", type: .dynamic, targets: ["Echo"]),
        .library(name: "responses", type: .dynamic, targets: ["Responses"]),
        .library(name: "pyramidish", type: .dynamic, targets: ["PyramidishApp"]),
        .library(name: "flaskish", type: .dynamic, targets: ["FlaskishApp"]),
        .library(name: "djangoish", type: .dynamic, targets: ["DjangoishApp"]),
        .library(name: "faults", type: .dynamic, targets: ["Faults"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
    ],
    targets: [
        .target(name: "CSSGI"),
        .target(name: "SSGI", dependencies: ["CSSGI"]),
        .target(
            name: "SwiftServe",
            dependencies: [
                "CSSGI",
                "SSGI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SwiftServeCommand",
            dependencies: [
                "SwiftServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Pyramidish", dependencies: ["SSGI"]),
        .target(name: "Flaskish", dependencies: ["SSGI"]),
        .target(name: "Djangoish", dependencies: ["SSGI"]),
        .target(name: "Barebones", dependencies: ["SSGI"], path: "Plugins/barebones"),
        .target(name: "EnvironApp", dependencies: ["SSGI"], path: "Plugins/environ"),
        .target(name: "Echo", dependencies: ["SSGI"], path: "Plugins/echo"),
        .target(name: "Responses", dependencies: ["SSGI"], path: "Plugins/responses"),
        .target(name: "PyramidishApp", dependencies: ["Pyramidish"], path: "Plugins/pyramidish"),
        .target(name: "FlaskishApp", dependencies: ["Flaskish"], path: "Plugins/flaskish"),
        .target(name: "DjangoishApp", dependencies: ["Djangoish"], path: "Plugins/djangoish"),
        .target(name: "Faults", dependencies: ["SSGI"], path: "Tests/Plugins/faults"),
        .target(
            name: "SwiftServeTesting",
            dependencies: [],
            path: "Tests/SwiftServeTesting"
        ),
        .target(
            name: "ParserDifferential",
            dependencies: [
                "SwiftServe",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/ParserDifferential"
        ),
        .testTarget(name: "SSGITests", dependencies: ["SSGI", "SwiftServeTesting"]),
        .testTarget(
            name: "SwiftServeTests",
            dependencies: [
                "SwiftServe", "SSGI", "CSSGI", "ParserDifferential", "SwiftServeTesting",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "DjangoishTests", dependencies: ["Djangoish"]),
        .testTarget(name: "FlaskishTests", dependencies: ["Flaskish", "SwiftServeTesting"]),
        .testTarget(name: "PyramidishTests", dependencies: ["Pyramidish"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SwiftServeTesting"],
            exclude: ["Fixtures"]
        ),
    ]
)
