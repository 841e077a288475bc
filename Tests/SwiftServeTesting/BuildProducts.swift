import Foundation

/// Where the package's build products are: the folder that holds the running test bundle, which
/// SwiftPM fills with the `swiftserve` executable and the plugin libraries of the same build.
public enum BuildProducts {
    /// The build folder (`.build/<triple>/debug` or `release`).
    public static let directory: URL = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // On Linux the test bundle is an executable inside the build folder; elsewhere it may sit
        // inside a `.xctest` bundle.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("swiftserve").path),
            folder.pathComponents.count > 1
        {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    /// The `swiftserve` executable.
    public static var swiftserve: String { directory.appendingPathComponent("swiftserve").path }

    /// The shared library of the plugin product `name` (`barebones` gives `libbarebones.so`).
    public static func plugin(_ name: String) -> String {
        directory.appendingPathComponent("lib\(name).so").path
    }
}
