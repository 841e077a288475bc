import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus server (Debian's package) started for a test: it scrapes one target every
/// second, keeps its data in a directory of its own, listens on 127.0.0.1, and is stopped by its
/// process id.
public final class PrometheusProcess: @unchecked Sendable {
    public let directory: URL
    public private(set) var port = 0
    private var process: Process?
    private let output = OutputCollector()

    /// Why Prometheus did not come up.
    public enum Failure: Error, CustomStringConvertible {
        case missing
        case notReady(String)

        public var description: String {
            switch self {
            case .missing: "prometheus is not installed: apt-get install -y prometheus (.ci/run does)"
            case .notReady(let log): "prometheus did not become ready:\n\(log)"
            }
        }
    }

    /// Starts Prometheus scraping `/metrics` of `target` (`HOST:PORT`) as the job `swiftserve`,
    /// on a port of `ports` (the first free one it finds).
    public init(scraping target: String, ports: ClosedRange<Int> = 34100...34299) throws {
        guard let prometheus = TestEnvironment.executable("prometheus") else { throw Failure.missing }
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-prometheus-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let configuration = self.directory.appendingPathComponent("prometheus.yml")
        try """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: swiftserve
            static_configs:
              - targets: ["\(target)"]
        """.write(to: configuration, atomically: true, encoding: .utf8)
        for _ in 0..<5 {
            let port = Int.random(in: ports)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: prometheus)
            process.arguments = [
                "--config.file=\(configuration.path)", "--storage.tsdb.path=\(self.directory.path)/data",
                "--web.listen-address=127.0.0.1:\(port)",
            ]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            let collector = self.output
            pipe.fileHandleForReading.readabilityHandler = { collector.append($0.availableData) }
            try process.run()
            self.process = process
            self.port = port
            for _ in 0..<600 where process.isRunning {
                if let ready = try? RawHTTPClient(port: port).exchange("GET", "/-/ready"), ready.status == 200 {
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            self.stop()
        }
        throw Failure.notReady(self.log)
    }

    /// What Prometheus logged.
    public var log: String { self.output.text }

    /// The value of the first series an instant query returns, as Prometheus writes it; nil when
    /// it returns none.
    public func query(_ expression: String) throws -> String? {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: allowed) ?? expression
        let response = try RawHTTPClient(port: self.port).exchange("GET", "/api/v1/query?query=\(encoded)")
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let data = json?["data"] as? [String: Any]
        let first = (data?["result"] as? [[String: Any]])?.first
        return (first?["value"] as? [Any])?.last as? String
    }

    /// Stops Prometheus (SIGTERM, then SIGKILL) and removes its data.
    public func stop() {
        if let process = self.process, process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<200 where process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        self.process = nil
        try? FileManager.default.removeItem(at: self.directory)
    }

    deinit {
        if let process = self.process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
