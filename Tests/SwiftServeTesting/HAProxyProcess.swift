import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HAProxy (Debian's package) started for a test in the foreground: it balances `port`
/// over several swiftserve instances, checks each one's `/healthz` on its `--metrics-bind` port,
/// and is stopped by its process id. Its configuration is `HAProxyProcess.configuration`, the one
/// docs/DEPLOYMENT.md shows.
public final class HAProxyProcess: @unchecked Sendable {
    /// One instance behind the balancer: where it serves, and where its `/healthz` answers.
    public struct Backend: Sendable {
        public var port: Int
        public var healthPort: Int

        public init(port: Int, healthPort: Int) {
            self.port = port
            self.healthPort = healthPort
        }
    }

    public let directory: URL
    public let port: Int
    private let process: Process
    private let output = OutputCollector()

    /// Why HAProxy did not come up.
    public enum Failure: Error, CustomStringConvertible {
        case missing
        case invalidConfiguration(String)
        case notListening(String)

        public var description: String {
            switch self {
            case .missing: "haproxy is not installed: apt-get install -y haproxy (.ci/run does)"
            case .invalidConfiguration(let log): "haproxy -c refused the configuration:\n\(log)"
            case .notListening(let log): "haproxy did not start listening:\n\(log)"
            }
        }
    }

    /// The configuration: `retry-on` and `redispatch` send a request whose connection was refused
    /// or closed unanswered by an instance that is stopping to another one, and the checks take an
    /// instance out as soon as its `/healthz` answers 503.
    public static func configuration(port: Int, backends: [Backend]) -> String {
        var text = """
            global
                maxconn 1024

            defaults
                mode http
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                retries 3
                option redispatch 1
                retry-on conn-failure empty-response response-timeout

            frontend app
                bind 127.0.0.1:\(port)
                default_backend swiftserve

            backend swiftserve
                balance roundrobin
                option httpchk GET /healthz
                http-check expect status 200
                default-server check inter 200ms fall 1 rise 2

            """
        for (index, backend) in backends.enumerated() {
            text += "    server app\(index + 1) 127.0.0.1:\(backend.port) port \(backend.healthPort)\n"
        }
        return text
    }

    /// Starts HAProxy on `port` in front of `backends`, once `haproxy -c` accepts the configuration.
    public init(port: Int, backends: [Backend]) throws {
        guard let haproxy = TestEnvironment.executable("haproxy") else { throw Failure.missing }
        self.port = port
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-haproxy-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let file = self.directory.appendingPathComponent("haproxy.cfg").path
        try Self.configuration(port: port, backends: backends).write(toFile: file, atomically: true, encoding: .utf8)
        let check = try CommandResult.run(haproxy, ["-c", "-f", file])
        guard check.status == 0 else { throw Failure.invalidConfiguration(check.outputText + check.standardError) }

        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: haproxy)
        self.process.arguments = ["-db", "-f", file]
        let pipe = Pipe()
        self.process.standardOutput = pipe
        self.process.standardError = pipe
        let collector = self.output
        pipe.fileHandleForReading.readabilityHandler = { collector.append($0.availableData) }
        try self.process.run()
        for _ in 0..<400 where self.process.isRunning {
            if let client = try? RawHTTPClient(port: port) {
                _ = client
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        self.stop()
        throw Failure.notListening(self.log)
    }

    /// What HAProxy logged (its alerts and warnings, and each server going up or down).
    public var log: String { self.output.text }

    /// Waits until the log contains `text`, up to `timeout` seconds; returns whether it did.
    public func waitForLog(_ text: String, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if self.log.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Stops HAProxy (SIGTERM, then SIGKILL) and removes its directory.
    public func stop() {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGTERM)
            for _ in 0..<200 where self.process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
            if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    deinit {
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }
}
