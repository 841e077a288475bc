import SwiftServeTesting

/// The example application served by the real `swiftserve`.
enum VaporExampleServer {
    /// `libvaporexample.so:app` from this package's build.
    static let application = BuildProducts.plugin("vaporexample") + ":app"

    /// Starts swiftserve on the example, checking every request and response against the SSGI
    /// specification (`--validate`), with `arguments` added.
    static func start(_ arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(application: application, arguments: ["--validate"] + arguments)
    }
}
