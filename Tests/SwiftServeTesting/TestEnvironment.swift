import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the machine running the tests offers, for the tests that need root or a system package
/// (nginx, slowhttptest): they run where it is there, and `.ci/run` sets `SWIFTSERVE_CI=1` so that
/// they run, and fail loudly, on CI whatever the machine.
public enum TestEnvironment {
    /// Whether every test must run (CI), rather than being skipped where the machine lacks something.
    public static var requiresEverything: Bool { ProcessInfo.processInfo.environment["SWIFTSERVE_CI"] == "1" }

    /// Whether the tests run as root.
    public static var isRoot: Bool { getuid() == 0 }

    /// The full path of `name` on the PATH (or in the sbin folders, where Debian puts nginx).
    public static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether a test that needs `condition` should run: when it holds, or on CI, where it must.
    public static func runs(needing condition: Bool) -> Bool {
        condition || self.requiresEverything
    }
}
