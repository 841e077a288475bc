import Glibc
import NIOConcurrencyHelpers

/// The access log: one line per response, in the `AccessLogFormat` chosen, to standard output or a file.
final class AccessLog: @unchecked Sendable {
    let format: AccessLogFormat
    /// Written and replaced only under `lock`.
    private var file: UnsafeMutablePointer<FILE>
    private let destination: String
    private let lock = NIOLock()

    /// Opens `destination` (`-` for standard output) for appending.
    init(destination: String, format: AccessLogFormat = .common) throws {
        self.destination = destination
        self.format = format
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

    private static func open(_ destination: String) throws -> UnsafeMutablePointer<FILE> {
        let file = destination == "-" ? fdopen(STDOUT_FILENO, "a") : fopen(destination, "ae")
        guard let file else {
            throw AccessLogError(path: destination, reason: String(cString: strerror(errno)))
        }
        return file
    }

    /// Writes the line of one response.
    func record(_ entry: AccessLogEntry) {
        let line = entry.line(self.format)
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
