import SwiftServeTesting

/// The example application served by the real `swiftserve`.
enum HummingbirdExampleServer {
    /// `libhummingbirdexample.so:app` from this package's build.
    static let application = BuildProducts.plugin("hummingbirdexample") + ":app"

    /// Starts swiftserve on the example, checking every request and response against the SSGI
    /// specification (`--validate`) unless `validate` is false, with `arguments` added.
    static func start(validate: Bool = true, _ arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(application: application, arguments: (validate ? ["--validate"] : []) + arguments)
    }
}
