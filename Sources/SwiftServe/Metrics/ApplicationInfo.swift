/// The application a worker loaded, as `swiftserve_application_info` labels it.
struct ApplicationInfo: Hashable, Sendable {
    /// The name the application's descriptor gives.
    var name: String
    /// The `module:callable` it was loaded from.
    var specifier: String
    /// The SSGI ABI version it was built against, `1.0`.
    var ssgiVersion: String
    /// The SDK that built it.
    var sdkVersion: String

    init(name: String, specifier: String, ssgiVersion: String, sdkVersion: String) {
        self.name = name
        self.specifier = specifier
        self.ssgiVersion = ssgiVersion
        self.sdkVersion = sdkVersion
    }

    init(_ application: LoadedApplication) {
        self.init(
            name: application.name, specifier: application.specifier.description,
            ssgiVersion: application.abiVersion, sdkVersion: application.sdkVersion)
    }

    /// The fields separated by tabs, as `MetricsRegion` keeps them.
    var encoded: String {
        [self.name, self.specifier, self.ssgiVersion, self.sdkVersion]
            .map { $0.replacing("\t", with: " ") }.joined(separator: "\t")
    }

    /// Reads what `encoded` wrote; nil for anything else.
    init?(decoding text: String) {
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { return nil }
        self.init(name: fields[0], specifier: fields[1], ssgiVersion: fields[2], sdkVersion: fields[3])
    }
}
