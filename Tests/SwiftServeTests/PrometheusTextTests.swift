import Testing

@testable import SwiftServe

/// The text exposition format as swiftserve writes it.
@Suite("Prometheus text")
struct PrometheusTextTests {
    @Test("a family is its HELP and TYPE lines, then its samples")
    func family() {
        var text = PrometheusText()
        text.family("x_total", type: "counter", help: "Things.")
        text.sample("x_total", labels: ["a": "1", "b": "2"], 3)
        text.sample("x_total", 4)
        #expect(text.text == "# HELP x_total Things.\n# TYPE x_total counter\nx_total{a=\"1\",b=\"2\"} 3\nx_total 4\n")
    }

    @Test("label values escape backslashes, quotes and newlines")
    func escaping() {
        #expect(PrometheusText.escape(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
    }

    @Test("the whole server's figures render with every family once")
    func render() throws {
        let metrics = ServerMetrics(rowsPerWorker: 1)
        let region = try MetricsRegion.local(rows: 1)
        metrics.processStarted(1, region: region)
        RequestCounters(row: region.row(0)).answered(method: 2, status: 201, nanoseconds: 2_000_000)
        metrics.workerExited(1, reason: .crashed)
        let text = metrics.render()
        #expect(text.contains("swiftserve_requests_total{method=\"POST\",status=\"2xx\"} 1\n"))
        #expect(text.contains("swiftserve_request_duration_seconds_bucket{le=\"0.001\"} 0\n"))
        #expect(text.contains("swiftserve_request_duration_seconds_bucket{le=\"0.0025\"} 1\n"))
        #expect(text.contains("swiftserve_request_duration_seconds_sum 0.002\n"))
        #expect(text.contains("swiftserve_worker_exits_total{reason=\"crashed\"} 1\n"))
        #expect(text.contains("swiftserve_workers 0\n"))
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(Set(types).count == types.count)
    }
}
