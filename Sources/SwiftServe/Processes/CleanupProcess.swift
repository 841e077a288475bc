import Glibc

/// The process that removes a server's files (its `--pid` file, the unix socket files it created)
/// once the server has exited, for a server that cannot remove them itself: the one process of
/// `--workers 0` once it has switched to `--user`.
///
/// Removing a file takes the right to write its folder (`/run`), checked against the credentials
/// a process has at that moment. A process that has switched to another user for good has lost
/// it, and every way to keep it (a saved root id, a capability, a file-system id) would let the
/// application's code take it back. So the server starts this process before it switches: its
/// own executable again, with `option`, which keeps the privileges, runs no application code, and
/// waits on a pipe whose write end only the server holds. When the server is gone, however it
/// ended, it removes the pid file if it still names the server and each socket file if it is still
/// the one the server created. (A master keeps its privileges and removes the files itself.)
public enum CleanupProcess {
    /// The hidden option that makes this executable the cleanup process; repeated, each value
    /// names a file to remove: `pid:PID:PATH` or `socket:DEVICE:INODE:PATH`.
    static let option = "--remove-at-exit"

    /// Starts the process that removes `pidFile` and the socket files of `sockets` when this
    /// process exits; does nothing when there is nothing to remove.
    static func start(pidFile: PidFile?, sockets: [ListenSocket]) throws(ChildProcessError) {
        var files = pidFile.map { ["pid:\(getpid()):\($0.path)"] } ?? []
        for socket in sockets {
            guard let path = socket.createdPath, let file = socket.createdFile else { continue }
            files.append("socket:\(file.device):\(file.inode):\(path)")
        }
        guard !files.isEmpty else { return }
        let pipe: ControlPipe
        do {
            pipe = try ControlPipe()
        } catch {
            throw ChildProcessError(reason: error.description)
        }
        defer { ControlPipe.close(pipe.readEnd) }
        // The write end stays open, close-on-exec, until this process exits.
        _ = try ChildProcess.spawn(
            executable: "/proc/self/exe", arguments: files.flatMap { [Self.option, $0] }, passing: [pipe.readEnd],
            blocking: [SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGTTIN, SIGTTOU, SIGUSR1])
    }

    /// Runs this process as the cleanup process of the server that started it, for `files`;
    /// returns its exit status once the server is gone and the files are removed.
    public static func run(files: [String]) -> CInt {
        let pipe = ChildProcess.firstDescriptor
        while true {
            _ = ControlPipe.poll([pipe], timeout: nil)
            guard case .endOfFile = ControlPipe.read(from: pipe) else { continue }
            break
        }
        var status: CInt = 0
        for file in files {
            let parts = file.split(separator: ":", maxSplits: file.hasPrefix("socket:") ? 3 : 2).map(String.init)
            if parts.count == 3, parts[0] == "pid", let pid = pid_t(parts[1]) {
                let pidFile = PidFile(path: parts[2])
                if pidFile.recordedProcessID() == pid { _ = unlink(pidFile.path) }
            } else if parts.count == 4, parts[0] == "socket", let device = UInt64(parts[1]),
                let inode = UInt64(parts[2])
            {
                ListenSocket.removeSocketFile(at: parts[3], ifStill: FileIdentity(device: device, inode: inode))
            } else {
                status = 2
            }
        }
        return status
    }
}
