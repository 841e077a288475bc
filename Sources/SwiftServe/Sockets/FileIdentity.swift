import Glibc

/// A file as the file system knows it, by device and inode rather than by name: the server
/// removes the socket files it created only while the name still leads to them
/// (`ListenSocket.removeSocketFile`).
struct FileIdentity: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64

    init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The file at `path` (not following a final symbolic link), or nil when there is none.
    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
