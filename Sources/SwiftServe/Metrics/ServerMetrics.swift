import Glibc
import NIOConcurrencyHelpers

/// The figures of the whole server, as `/metrics` shows them: the counts of every worker's
/// `MetricsRegion`, live or gone, summed, and what the master itself counts (worker starts and
/// exits, reloads), with the server's health for `/healthz`.
///
/// The master calls it from its loop, the metrics endpoint from its event loop: everything is
/// under one lock. A worker's counts are added to the totals of the gone when it is reaped, so
/// that the counters never go down when a worker is replaced (Prometheus reads a decrease as a
/// restart).
final class ServerMetrics: Sendable {
    /// Where the server is in its life, for `/healthz`.
    enum Health: Sendable {
        /// Loading the application: not serving yet.
        case starting
        case serving
        /// A graceful stop has begun: requests in flight finish, new ones belong elsewhere.
        case stopping
    }

    private struct State {
        var health = Health.starting
        var live: [pid_t: MetricsRegion] = [:]
        var gone = MetricsSnapshot()
        var workerStarts: UInt64 = 0
        var workerExits: [ExitReason: UInt64] = [:]
        var reloads: UInt64 = 0
        var lastApplication: ApplicationInfo?
    }

    /// Event loops in each worker: the rows of each region.
    let rowsPerWorker: Int
    private let state = NIOLockedValueBox(State())

    init(rowsPerWorker: Int) {
        self.rowsPerWorker = rowsPerWorker
    }

    var health: Health {
        get { self.state.withLockedValue { $0.health } }
        set { self.state.withLockedValue { $0.health = newValue } }
    }

    /// A region for a worker about to start.
    func makeRegion() throws(MetricsError) -> MetricsRegion {
        try MetricsRegion.shared(rows: self.rowsPerWorker)
    }

    /// Counts the process `pid` in `region` from now on.
    func processStarted(_ pid: pid_t, region: MetricsRegion, isWorker: Bool = true) {
        self.state.withLockedValue { state in
            state.live[pid] = region
            if isWorker { state.workerStarts += 1 }
        }
    }

    /// The worker `pid` is gone: its counts join the totals.
    func workerExited(_ pid: pid_t, reason: ExitReason) {
        self.state.withLockedValue { state in
            state.workerExits[reason, default: 0] += 1
            guard let region = state.live.removeValue(forKey: pid) else { return }
            if let application = region.application { state.lastApplication = application }
            state.gone.add(region.snapshot().retired)
        }
    }

    func reloaded() {
        self.state.withLockedValue { $0.reloads += 1 }
    }

    /// Whether `/healthz` says the server takes requests.
    var isServing: Bool { self.health == .serving }

    /// Every figure in the Prometheus text format.
    func render() -> String {
        let (total, applications, state) = self.state.withLockedValue { state in
            var total = state.gone
            var applications = Set<ApplicationInfo>()
            for region in state.live.values {
                total.add(region.snapshot())
                if let application = region.application { applications.insert(application) }
            }
            if applications.isEmpty, let last = state.lastApplication { applications.insert(last) }
            return (total, applications, state)
        }
        var text = PrometheusText()
        Self.writeRequests(total, to: &text)
        Self.writeConnections(total, to: &text)
        text.family(
            "swiftserve_refusals_total", type: "counter",
            help: "Requests the server answered itself or connections it closed, by reason.")
        for reason in RefusalReason.allCases {
            text.sample(
                "swiftserve_refusals_total", labels: ["reason": reason.label],
                total[MetricsLayout.refusals + reason.rawValue])
        }
        text.family("swiftserve_workers", type: "gauge", help: "Worker processes running.")
        text.sample("swiftserve_workers", String(state.workerStarts == 0 ? 0 : state.live.count))
        text.family("swiftserve_worker_starts_total", type: "counter", help: "Worker processes started.")
        text.sample("swiftserve_worker_starts_total", state.workerStarts)
        text.family("swiftserve_worker_exits_total", type: "counter", help: "Worker processes that exited, by reason.")
        for reason in ExitReason.allCases {
            text.sample(
                "swiftserve_worker_exits_total", labels: ["reason": reason.rawValue], state.workerExits[reason] ?? 0)
        }
        text.family("swiftserve_reloads_total", type: "counter", help: "Reloads begun (SIGHUP, --reload).")
        text.sample("swiftserve_reloads_total", state.reloads)
        text.family(
            "swiftserve_application_info", type: "gauge",
            help: "The application served, and the SSGI version it was built for.")
        for application in applications.sorted(by: { $0.encoded < $1.encoded }) {
            text.sample(
                "swiftserve_application_info",
                labels: [
                    "name": application.name, "specifier": application.specifier,
                    "ssgi_version": application.ssgiVersion, "sdk": application.sdkVersion,
                ], 1)
        }
        text.family(
            "swiftserve_up", type: "gauge", help: "1 while the server takes requests (/healthz answers 200), else 0.")
        text.sample("swiftserve_up", state.health == .serving ? 1 : 0)
        return text.text
    }

    private static func writeRequests(_ total: MetricsSnapshot, to text: inout PrometheusText) {
        text.family(
            "swiftserve_requests_total", type: "counter",
            help: "Requests the application answered, by method and status class.")
        for (methodIndex, method) in MetricsLayout.methods.enumerated() {
            for (classIndex, statusClass) in MetricsLayout.statusClasses.enumerated() {
                let field = MetricsLayout.requests + methodIndex * MetricsLayout.statusClasses.count + classIndex
                text.sample(
                    "swiftserve_requests_total", labels: ["method": method, "status": statusClass], total[field])
            }
        }
        text.family(
            "swiftserve_request_duration_seconds", type: "histogram",
            help: "Time from a request's head to the last byte of its response handed to the socket.")
        var cumulative: UInt64 = 0
        for (index, bound) in MetricsLayout.durationBounds.enumerated() {
            cumulative += total[MetricsLayout.durationBuckets + index]
            text.sample("swiftserve_request_duration_seconds_bucket", labels: ["le": String(bound)], cumulative)
        }
        cumulative += total[MetricsLayout.durationBuckets + MetricsLayout.durationBounds.count]
        text.sample("swiftserve_request_duration_seconds_bucket", labels: ["le": "+Inf"], cumulative)
        text.sample(
            "swiftserve_request_duration_seconds_sum",
            PrometheusText.seconds(nanoseconds: total[MetricsLayout.durationSumNanoseconds]))
        text.sample("swiftserve_request_duration_seconds_count", cumulative)
        text.family("swiftserve_requests_in_flight", type: "gauge", help: "Requests being served.")
        text.sample(
            "swiftserve_requests_in_flight",
            total.difference(MetricsLayout.requestsStarted, MetricsLayout.requestsEnded))
    }

    private static func writeConnections(_ total: MetricsSnapshot, to text: inout PrometheusText) {
        text.family("swiftserve_connections_open", type: "gauge", help: "Client connections open.")
        text.sample(
            "swiftserve_connections_open",
            total.difference(MetricsLayout.connectionsOpened, MetricsLayout.connectionsClosed))
        text.family("swiftserve_connections_total", type: "counter", help: "Client connections accepted.")
        text.sample("swiftserve_connections_total", total[MetricsLayout.connectionsOpened])
        text.family("swiftserve_received_bytes_total", type: "counter", help: "Bytes read from clients.")
        text.sample("swiftserve_received_bytes_total", total[MetricsLayout.bytesReceived])
        text.family("swiftserve_sent_bytes_total", type: "counter", help: "Bytes written to clients.")
        text.sample("swiftserve_sent_bytes_total", total[MetricsLayout.bytesSent])
    }
}
