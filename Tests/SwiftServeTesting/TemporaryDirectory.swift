import Foundation

/// A new folder for one test's files, readable and traversable by everyone (mode 0755), as `/run`
/// and `/var/log` are: writable by its owner only, so that a server that switched to another user
/// cannot create files in it, while nginx's workers can reach a socket inside.
public enum TemporaryDirectory {
    /// Creates `swiftserve-NAME-UUID` in the system's temporary folder.
    public static func make(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftserve-\(name)-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return directory
    }
}
