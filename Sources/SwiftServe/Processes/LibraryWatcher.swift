import Glibc
import NIOCore

/// Watches the application's library for `--reload`: notices when the file at its path changes,
/// whether rewritten in place or replaced (by a rename, or a symbolic link switched to another
/// build), and reports the change once the file has stayed the same for `settleTime`, so that a
/// build or copy still writing it is not loaded half-written.
///
/// It polls with `stat`, as Gunicorn's default reloader does: cheap at the master's pace, and the
/// same on every file system and platform.
struct LibraryWatcher {
    /// What identifies a version of the file.
    struct Version: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    static let settleTime: TimeAmount = .milliseconds(500)

    let path: String
    /// The version loaded last.
    private var loaded: Version?
    /// A different version seen, and since when it has not changed.
    private var candidate: (version: Version, since: NIODeadline)?

    init(path: String) {
        self.path = path
        self.loaded = Self.version(of: path)
    }

    /// Looks at the file; true when a changed version has settled, which then counts as loaded.
    mutating func check(now: NIODeadline = .now()) -> Bool {
        guard let current = Self.version(of: self.path), current != self.loaded else {
            self.candidate = nil
            return false
        }
        guard let candidate = self.candidate, candidate.version == current else {
            self.candidate = (current, now)
            return false
        }
        guard now - candidate.since >= Self.settleTime else { return false }
        self.loaded = current
        self.candidate = nil
        return true
    }

    /// The version at `path`, following symbolic links; nil while there is no file.
    static func version(of path: String) -> Version? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Version(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }
}
