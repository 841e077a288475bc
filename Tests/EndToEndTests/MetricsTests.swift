import Foundation
import SwiftServeTesting
import Testing

/// `--metrics-bind`, for real: the master's `/metrics` sums what its workers count, keeps the counts
/// of a worker that was killed, passes `promtool check metrics` and is scraped by a real Prometheus
/// server; `/healthz` turns 503 when a graceful stop begins and stays so while requests finish.
@Suite("Metrics and health")
struct MetricsTests {
    private let faults = BuildProducts.plugin("faults")

    private func start(workers: Int = 2, _ arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(
            application: self.faults,
            arguments: ["--workers", "\(workers)", "--metrics-bind", "127.0.0.1:0"] + arguments)
    }

    /// Sends `count` requests, each on a connection of its own; returns their statuses.
    @discardableResult
    private func send(_ count: Int, _ method: String, _ target: String, to server: ServerProcess) throws -> [Int] {
        try (0..<count).map { _ in
            try server.request(method, target, body: method == "POST" ? Array("hello".utf8) : nil).status
        }
    }

    /// Opens connections until one reaches each of the two workers (by `GET /pid`); returns them
    /// and how many connections (each with one request) it took.
    private func connectionsToBothWorkers(of server: ServerProcess) throws -> (clients: [RawHTTPClient], opened: Int) {
        var clients: [String: RawHTTPClient] = [:]
        var opened = 0
        for _ in 0..<200 where clients.count < 2 {
            let client = try RawHTTPClient(port: server.port)
            opened += 1
            let pid = try client.exchange("GET", "/pid").bodyText
            if clients[pid] == nil { clients[pid] = client }
        }
        try #require(clients.count == 2, "the connections reached one worker only")
        return (Array(clients.values), opened)
    }

    @Test("the counts of every worker are summed, by method and status class")
    func countsAreSummed() throws {
        let server = try self.start()
        defer { server.stop() }
        let (clients, opened) = try self.connectionsToBothWorkers(of: server)
        for client in clients {
            for _ in 0..<10 { #expect(try client.exchange("GET", "/pid").status == 200) }
        }
        #expect(try self.send(3, "POST", "/pid", to: server) == [200, 200, 200])
        #expect(try self.send(2, "GET", "/throw", to: server) == [500, 500])
        let client = try RawHTTPClient(port: server.port)
        try client.send("NOT HTTP AT ALL\r\n\r\n")
        #expect(try client.readResponse().status == 400)

        let metrics = MetricsText(try server.scrape())
        let gets = Double(opened + 20)
        #expect(metrics[#"swiftserve_requests_total{method="GET",status="2xx"}"#] == gets)
        #expect(metrics[#"swiftserve_requests_total{method="POST",status="2xx"}"#] == 3)
        #expect(metrics[#"swiftserve_requests_total{method="GET",status="5xx"}"#] == 2)
        #expect(metrics[#"swiftserve_refusals_total{reason="bad_request"}"#] == 1)
        #expect(metrics["swiftserve_request_duration_seconds_count"] == gets + 5)
        #expect(metrics[#"swiftserve_request_duration_seconds_bucket{le="+Inf"}"#] == gets + 5)
        #expect(metrics["swiftserve_connections_total"] == Double(opened + 6))
        #expect((metrics["swiftserve_received_bytes_total"] ?? 0) > (gets + 5) * 30)
        #expect((metrics["swiftserve_sent_bytes_total"] ?? 0) > (gets + 5) * 60)
        #expect(metrics["swiftserve_requests_in_flight"] == 0)
        #expect(metrics["swiftserve_workers"] == 2)
        #expect(metrics["swiftserve_worker_starts_total"] == 2)
        #expect(metrics["swiftserve_up"] == 1)
        #expect(
            metrics.text.contains(
                #"swiftserve_application_info{name="faults",specifier="\#(self.faults):app",ssgi_version="1."#))
    }

    @Test("HTTP/2 streams are counted as HTTP/1.1 requests are")
    func http2Counted() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try self.start(workers: 1, certificates.serverArguments)
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)"
        // One connection, four streams (curl 7.88 reuses an h2c prior-knowledge connection badly: TLS here).
        let result = try CommandResult.curl(
            ["-sSk", "--http2", "-w", "%{http_code} %{http_version}\n"]
                + ["/pid", "/pid", "/pid", "/throw"].flatMap { ["-o", "/dev/null", url + $0] })
        #expect(result.outputText == "200 2\n200 2\n200 2\n500 2\n", "\(result.outputText)\(result.standardError)")
        let metrics = MetricsText(try server.scrape())
        #expect(metrics[#"swiftserve_requests_total{method="GET",status="2xx"}"#] == 3)
        #expect(metrics[#"swiftserve_requests_total{method="GET",status="5xx"}"#] == 1)
        #expect(metrics["swiftserve_request_duration_seconds_count"] == 4)
        #expect(metrics["swiftserve_connections_total"] == 1)
        #expect((metrics["swiftserve_received_bytes_total"] ?? 0) > 4 * 20)
        #expect((metrics["swiftserve_sent_bytes_total"] ?? 0) > 4 * 30)
        #expect(metrics["swiftserve_requests_in_flight"] == 0)
    }

    @Test("a worker killed with SIGKILL keeps its counts, and its exit is counted")
    func countsSurviveAKilledWorker() throws {
        let server = try self.start()
        defer { server.stop() }
        let workers = try #require(server.waitForReadyWorkers(count: 2))
        try self.send(30, "GET", "/pid", to: server)
        let before = MetricsText(try server.scrape())
        #expect(before[#"swiftserve_requests_total{method="GET",status="2xx"}"#] == 30)

        let victim = try #require(workers.first)
        kill(victim, SIGKILL)
        #expect(server.waitForReadyWorkers(count: 2, excluding: [victim]) != nil)
        try self.send(5, "GET", "/pid", to: server)
        // The server closes its side of the last connection after the client has its response.
        var after = MetricsText(try server.scrape())
        for _ in 0..<200 where after["swiftserve_connections_open"] != 0 {
            Thread.sleep(forTimeInterval: 0.05)
            after = MetricsText(try server.scrape())
        }
        #expect(after[#"swiftserve_requests_total{method="GET",status="2xx"}"#] == 35)
        #expect(after["swiftserve_connections_total"] == before["swiftserve_connections_total"].map { $0 + 5 })
        #expect(after["swiftserve_connections_open"] == 0)
        #expect(after[#"swiftserve_worker_exits_total{reason="crashed"}"#] == 1)
        #expect(after["swiftserve_worker_starts_total"] == 3)
    }

    @Test("requests in flight and open connections are gauges")
    func inFlightGauges() throws {
        let server = try self.start(workers: 1, ["--graceful-timeout", "1"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /slow?ms=60000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(server.waitForLog("sleeping 60000 ms"))
        let idle = try RawHTTPClient(port: server.port)
        var metrics = MetricsText("")
        for _ in 0..<200 {
            metrics = MetricsText(try server.scrape())
            if metrics["swiftserve_connections_open"] == 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(metrics["swiftserve_requests_in_flight"] == 1)
        #expect(metrics["swiftserve_connections_open"] == 2)
        withExtendedLifetime(idle) {}
    }

    @Test("a reload and its workers are counted")
    func reloadsAreCounted() throws {
        let server = try self.start()
        defer { server.stop() }
        let first = try #require(server.waitForReadyWorkers(count: 2))
        kill(server.pid, SIGHUP)
        #expect(server.waitForReadyWorkers(count: 2, excluding: first) != nil)
        #expect(server.waitForLog("reloaded"))
        var metrics = MetricsText("")
        for _ in 0..<200 {
            metrics = MetricsText(try server.scrape())
            if metrics[#"swiftserve_worker_exits_total{reason="stopped"}"#] == 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(metrics["swiftserve_reloads_total"] == 1)
        #expect(metrics["swiftserve_worker_starts_total"] == 4)
        #expect(metrics[#"swiftserve_worker_exits_total{reason="stopped"}"#] == 2)
    }

    @Test("/healthz answers 503 from the start of a graceful stop while a request finishes")
    func healthTurnsOffOnGracefulStop() throws {
        let server = try self.start(workers: 1)
        defer { server.stop(signal: SIGKILL) }
        #expect(try server.operations("/healthz").status == 200)
        let client = try RawHTTPClient(port: server.port, timeout: 60)
        try client.send("GET /slow?ms=3000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(server.waitForLog("sleeping 3000 ms"))
        kill(server.pid, SIGTERM)
        #expect(server.waitForLog("stopping gracefully"))
        #expect(try server.operations("/healthz").status == 503)
        #expect(try server.operations("/healthz").bodyText == "stopping\n")
        #expect(try server.operations("/metrics").bodyText.contains("swiftserve_up 0"))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText.hasPrefix("slept 3000 ms"))
        #expect(server.waitForExit() == 0)
    }

    @Test("without workers the one process counts and answers /healthz itself")
    func singleProcess() throws {
        let server = try self.start(workers: 0)
        defer { server.stop() }
        try self.send(4, "GET", "/pid", to: server)
        let metrics = MetricsText(try server.scrape())
        #expect(metrics[#"swiftserve_requests_total{method="GET",status="2xx"}"#] == 4)
        #expect(metrics["swiftserve_workers"] == 0)
        #expect(try server.operations("/healthz").status == 200)
        #expect(try server.operations("/elsewhere").status == 404)
        let client = try RawHTTPClient(port: server.metricsPort!)
        #expect(try client.exchange("POST", "/metrics", body: []).status == 405)
    }

    @Test("the application's URL space is untouched: /metrics on the application's port is the application's")
    func applicationPortIsUntouched() throws {
        let server = try self.start(workers: 1)
        defer { server.stop() }
        let response = try server.request("GET", "/metrics")
        #expect(!response.bodyText.contains("swiftserve_requests_total"))
    }

    @Test("a --metrics-bind that is not an address, or is taken, stops the start with a message")
    func badMetricsBind() throws {
        let malformed = try CommandResult.swiftserve(["--metrics-bind", "nowhere", "\(self.faults):app"])
        #expect(malformed.status != 0)
        #expect(malformed.standardError.contains("--metrics-bind 'nowhere' is not HOST:PORT"))

        let holder = try self.start(workers: 0)
        defer { holder.stop() }
        let port = try #require(holder.metricsPort)
        for workers in ["0", "1"] {
            let taken = try CommandResult.swiftserve([
                "--workers", workers, "--bind", "127.0.0.1:0", "--metrics-bind", "127.0.0.1:\(port)",
                "\(self.faults):app",
            ])
            #expect(taken.status == 1)
            #expect(taken.standardError.contains("cannot listen on 127.0.0.1:\(port) (--metrics-bind)"))
        }
    }

    @Test(
        "promtool check metrics accepts the output",
        .enabled(
            if: TestEnvironment.runs(needing: TestEnvironment.executable("promtool") != nil),
            "needs promtool (apt-get install -y prometheus)"))
    func promtoolAccepts() throws {
        let server = try self.start()
        defer { server.stop() }
        try self.send(3, "GET", "/pid", to: server)
        let text = try server.scrape()
        let check = try CommandResult.run(
            try #require(TestEnvironment.executable("promtool")), ["check", "metrics"], standardInput: Data(text.utf8))
        #expect(check.status == 0, "\(check.outputText)\(check.standardError)")
        #expect(check.standardError.isEmpty && check.outputText.isEmpty, "\(check.outputText)\(check.standardError)")
    }

    @Test(
        "a real Prometheus server scrapes it",
        .enabled(
            if: TestEnvironment.runs(needing: TestEnvironment.executable("prometheus") != nil),
            "needs prometheus (apt-get install -y prometheus)"))
    func prometheusScrapes() throws {
        let server = try self.start()
        defer { server.stop() }
        try self.send(7, "GET", "/pid", to: server)
        let prometheus = try PrometheusProcess(scraping: "127.0.0.1:\(try #require(server.metricsPort))")
        defer { prometheus.stop() }
        let query = #"swiftserve_requests_total{method="GET",status="2xx"}"#
        var value: String?
        for _ in 0..<600 where value != "7" {
            value = try prometheus.query(query)
            if value != "7" { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(value == "7", "Prometheus's answer: \(value ?? "none")\n\(prometheus.log)")
        #expect(try prometheus.query(#"up{job="swiftserve"}"#) == "1")
    }
}
