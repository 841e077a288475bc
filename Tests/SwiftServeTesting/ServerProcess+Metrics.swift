import Foundation

/// The operations endpoint of a server started with `--metrics-bind 127.0.0.1:0`: where it
/// listens, as the log says, and its answers.
extension ServerProcess {
    /// The port of `/metrics` and `/healthz`, from the log line that announces them.
    public var metricsPort: Int? {
        let log = self.log
        guard let range = log.range(of: #"metrics on http://[^\s]*:(\d+)/metrics"#, options: .regularExpression)
        else { return nil }
        let match = log[range].dropLast("/metrics".count)
        return match.split(separator: ":").last.flatMap { Int($0) }
    }

    /// `GET path` on the operations endpoint.
    public func operations(_ path: String) throws -> RawResponse {
        guard let port = self.metricsPort else { throw MetricsEndpointError.notAnnounced(log: self.log) }
        return try RawHTTPClient(port: port, timeout: 30).exchange("GET", path)
    }

    /// The body of `/metrics`.
    public func scrape() throws -> String {
        try self.operations("/metrics").bodyText
    }
}

/// The Prometheus text of a scrape, read by series.
public struct MetricsText: Sendable {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    /// The value of the sample written exactly as `series` (its name and labels), if any.
    public subscript(series: String) -> Double? {
        for line in self.text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}

/// The server did not say where its operations endpoint is.
public enum MetricsEndpointError: Error, CustomStringConvertible {
    case notAnnounced(log: String)

    public var description: String {
        switch self {
        case .notAnnounced(let log): "the server did not log where /metrics is:\n\(log)"
        }
    }
}
