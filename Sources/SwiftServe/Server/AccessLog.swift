import Glibc
import NIOConcurrencyHelpers

/// The access log: one line per response in Common Log Format, to standard output or a file.
///
/// Every worker opens the file by its name, after it has switched to `--user`. So that it can, the
/// process that keeps the privileges creates the file and gives it to that user and group first,
/// as Gunicorn does (`prepare`): the master at start and before it passes on SIGUSR1, the one
/// process of `--workers 0` before it switches. The workers then need no right to create files in
/// the log's folder, which a root-owned `/var/log` folder does not give them.
final class AccessLog: @unchecked Sendable {
    /// Written and replaced only under `lock`.
    private var file: UnsafeMutablePointer<FILE>
    private let destination: String
    private let lock = NIOLock()

    /// Opens `destination` (`-` for standard output) for appending.
    init(destination: String) throws {
        self.destination = destination
        self.file = try Self.open(destination)
    }

    /// Opens the file again by its name, after a log rotation moved it away (SIGUSR1); standard
    /// output stays as it is.
    func reopen() throws {
        guard self.destination != "-" else { return }
        let file = try Self.open(self.destination)
        let old = self.lock.withLock {
            defer { self.file = file }
            return self.file
        }
        fclose(old)
    }

    /// Creates the file `destination` names if it is missing, and gives it to `owner`'s user and
    /// group; standard output (`-`) needs nothing.
    static func prepare(_ destination: String, for owner: Privileges?) throws(AccessLogError) {
        guard destination != "-" else { return }
        let descriptor = Glibc.open(destination, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw AccessLogError(path: destination, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        if let owner, fchown(descriptor, owner.uid ?? uid_t.max, owner.gid ?? gid_t.max) != 0 {
            throw AccessLogError(
                path: destination, reason: "cannot give it to \(owner): \(String(cString: strerror(errno)))")
        }
    }

    private static func open(_ destination: String) throws -> UnsafeMutablePointer<FILE> {
        let file = destination == "-" ? fdopen(STDOUT_FILENO, "a") : fopen(destination, "ae")
        guard let file else {
            throw AccessLogError(path: destination, reason: String(cString: strerror(errno)))
        }
        return file
    }

    /// `host - - [date] "request line" status bytes`.
    func record(remote: String, date: String, requestLine: String, status: Int, bytes: Int) {
        let line =
            "\(remote.isEmpty ? "-" : remote) - - [\(date)] \"\(requestLine)\" \(status) \(bytes == 0 ? "-" : String(bytes))\n"
        self.lock.withLock {
            fputs(line, self.file)
            fflush(self.file)
        }
    }
}

/// The access log file could not be opened.
struct AccessLogError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "cannot open access log '\(self.path)': \(self.reason)" }
}
