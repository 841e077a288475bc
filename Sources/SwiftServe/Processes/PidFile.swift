import Glibc

/// The `--pid` file: the server's process id, so that scripts can signal it
/// (`kill -HUP $(cat FILE)`) and a second server started by mistake is refused.
public struct PidFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Writes this process's id, by rename so that no reader sees a half-written file. Refuses when
    /// the file names another process that is still running, as Gunicorn does.
    public func create() throws(PidFileError) {
        if let existing = self.recordedProcessID(), existing > 0, existing != getpid(),
            kill(existing, 0) == 0 || errno == EPERM
        {
            throw .alreadyRunning(path: self.path, processID: existing)
        }
        let temporary = "\(self.path).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: self.path, reason: Self.lastError()) }
        var line = "\(getpid())\n"
        let written = line.withUTF8 { write(descriptor, $0.baseAddress, $0.count) == $0.count }
        let reason = written ? nil : Self.lastError()
        close(descriptor)
        guard written, rename(temporary, self.path) == 0 else {
            let reason = reason ?? Self.lastError()
            unlink(temporary)
            throw .cannotWrite(path: self.path, reason: reason)
        }
    }

    /// Removes the file if it still names this process.
    public func remove() {
        guard self.recordedProcessID() == getpid() else { return }
        unlink(self.path)
    }

    /// The process id the file holds, if it exists and holds one.
    func recordedProcessID() -> pid_t? {
        let descriptor = open(self.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        return pid_t(text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first ?? "")
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// The pid file cannot be used.
public enum PidFileError: Error, Equatable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case alreadyRunning(path: String, processID: pid_t)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            "cannot write the pid file '\(path)': \(reason)"
        case .alreadyRunning(let path, let processID):
            "the pid file '\(path)' names process \(processID), which is running: is swiftserve already serving? (remove the file if not)"
        }
    }
}
