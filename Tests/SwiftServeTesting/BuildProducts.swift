import Foundation

/// Where the build products under test are: the folder that holds the running test bundle, which
/// SwiftPM fills with the plugin libraries of the same build, and the `swiftserve` executable.
public enum BuildProducts {
    /// The build folder of the running tests (`.build/<triple>/debug` or `release`).
    public static let directory: URL = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }()

    /// The `swiftserve` executable: `SWIFTSERVE_EXECUTABLE` when set (for packages that depend on
    /// swiftserve and test their plugins under it), otherwise the one in `directory`.
    public static var swiftserve: String {
        ProcessInfo.processInfo.environment["SWIFTSERVE_EXECUTABLE"]
            ?? directory.appendingPathComponent("swiftserve").path
    }

    /// The shared library of the plugin product `name` (`barebones` gives `libbarebones.so`).
    public static func plugin(_ name: String) -> String {
        directory.appendingPathComponent("lib\(name).so").path
    }
}
