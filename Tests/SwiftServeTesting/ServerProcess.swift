import Foundation

/// A real `swiftserve` process started for a test: it listens on a port the kernel picks (or a
/// unix socket), and is stopped by its process id when the test ends.
public final class ServerProcess: @unchecked Sendable {
    public let process: Process
    private let output = OutputCollector()
    /// The port it listens on (0 for a unix socket).
    public private(set) var port = 0

    /// Starts `swiftserve` with `arguments` followed by the application, bound to `127.0.0.1:0`
    /// unless the arguments contain their own `--bind`, and waits until it listens.
    ///
    /// `applicationArguments`, when given, follow the application after `--`. `launcher`, when
    /// given, is a command that starts swiftserve with its sockets (systemd socket activation):
    /// swiftserve is run by it, and no `--bind` is added. `environment` is added to the server's
    /// environment; `directory` is its current directory.
    public init(
        application: String, arguments: [String] = [], applicationArguments: [String] = [],
        launcher: [String] = [], environment: [String: String] = [:], directory: String? = nil,
        timeout: TimeInterval = 20
    ) throws {
        var all = arguments
        if !arguments.contains("--bind"), launcher.isEmpty { all += ["--bind", "127.0.0.1:0"] }
        all.append(application)
        if !applicationArguments.isEmpty { all += ["--"] + applicationArguments }
        self.process = Process()
        if let directory { self.process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let command = launcher.first {
            self.process.executableURL = URL(fileURLWithPath: command)
            self.process.arguments = launcher.dropFirst() + [BuildProducts.swiftserve] + all
        } else {
            self.process.executableURL = URL(fileURLWithPath: BuildProducts.swiftserve)
            self.process.arguments = all
        }
        self.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        self.process.standardError = pipe
        self.process.standardOutput = pipe
        let collector = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            collector.append(handle.availableData)
        }
        try self.process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = self.output.text
            if let range = text.range(of: #"listening on https?://[^\s]*:(\d+)"#, options: .regularExpression) {
                let match = String(text[range])
                self.port = Int(match.split(separator: ":").last!)!
                return
            }
            if text.contains("listening on unix:") { return }
            if !self.process.isRunning {
                throw ServerProcessError.exited(status: self.process.terminationStatus, output: text)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        self.process.terminate()
        throw ServerProcessError.notListening(output: self.output.text)
    }

    /// Everything the server printed so far (its log).
    public var log: String { self.output.text }

    /// Waits until the log contains `text`, up to `timeout` seconds; returns whether it did.
    @discardableResult
    public func waitForLog(_ text: String, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if self.log.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// The process id of the server (the master, when it runs workers).
    public var pid: pid_t { self.process.processIdentifier }

    /// The server's worker processes: its children, read from /proc.
    public var workerPIDs: Set<pid_t> { ProcessTable.children(of: self.pid) }

    /// The workers the server has logged as ready and that are still running.
    public var readyWorkerPIDs: Set<pid_t> {
        let log = self.log
        return self.workerPIDs.filter { log.contains("worker \($0) ready") }
    }

    /// Waits until exactly `count` workers are running and ready, none of them one of
    /// `excluding`, up to `timeout` seconds; returns them, or nil.
    public func waitForReadyWorkers(
        count: Int, excluding: Set<pid_t> = [], timeout: TimeInterval = 30
    ) -> Set<pid_t>? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let all = self.workerPIDs
            let ready = self.readyWorkerPIDs
            if all.count == count, ready == all, ready.isDisjoint(with: excluding) { return ready }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    /// How many times the log contains `text`.
    public func logCount(of text: String) -> Int {
        self.log.components(separatedBy: text).count - 1
    }

    /// Waits for the process to exit by itself, up to `timeout` seconds; returns its exit
    /// status, or nil if it is still running.
    public func waitForExit(timeout: TimeInterval = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if self.process.isRunning { return nil }
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 20) -> Int32 {
        if self.process.isRunning {
            kill(self.process.processIdentifier, signal)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
        }
        return self.process.terminationStatus
    }

    /// The peak resident memory in bytes (VmHWM, read from /proc) of the process that served
    /// the most: the largest among the server and its workers, which are the ones that hold
    /// requests and responses.
    public var peakResidentBytes: Int? {
        ([self.pid] + self.workerPIDs).compactMap(Self.peakResidentBytes(of:)).max()
    }

    private static func peakResidentBytes(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
            return kilobytes.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }

    deinit {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
        }
    }
}

/// Why a server process did not come up.
public enum ServerProcessError: Error, CustomStringConvertible {
    case exited(status: Int32, output: String)
    case notListening(output: String)

    public var description: String {
        switch self {
        case .exited(let status, let output): "swiftserve exited with status \(status):\n\(output)"
        case .notListening(let output): "swiftserve did not start listening:\n\(output)"
        }
    }
}

/// Collects a pipe's output from the reading thread.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) {
        self.lock.lock()
        self.data.append(chunk)
        self.lock.unlock()
    }

    var bytes: Data {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.data
    }

    var text: String { String(decoding: self.bytes, as: UTF8.self) }
}
