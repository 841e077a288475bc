// swift-tools-version:6.0
import PackageDescription

// swiftserve's WSGI bridge: `libwsgi.so` embeds CPython (Debian's python3.11, found with
// pkg-config's python3-embed) and serves a Python WSGI application named by its arguments:
//   swiftserve .build/release/libwsgi.so:app -- flaskapp:app
// A package of its own, so that swiftserve's build never needs Python.
let package = Package(
    name: "SSGIPython",
    products: [
        .library(name: "wsgi", type: .dynamic, targets: ["SSGIPython"])
    ],
    dependencies: [
        .package(path: "../swiftserve")
    ],
    targets: [
        // Python.h and libpython, as python3-dev installs them.
        .systemLibrary(
            name: "CPython",
            pkgConfig: "python3-embed",
            providers: [.apt(["python3-dev"])]
        ),
        // What Swift cannot call directly: the API's macros and reference counting, and the
        // variadic functions.
        .target(name: "CPythonBridge", dependencies: ["CPython"]),
        .target(
            name: "SSGIPython",
            dependencies: [
                "CPythonBridge",
                .product(name: "SSGI", package: "swiftserve"),
            ]
        ),
        .testTarget(
            name: "SSGIPythonTests",
            dependencies: [.product(name: "SwiftServeTesting", package: "swiftserve")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
