/// How the access log writes a line (`--access-log-format`).
public enum AccessLogFormat: String, CaseIterable, Sendable {
    /// Common Log Format: `host - - [date] "request line" status bytes`.
    case common
    /// Common Log Format, then the quoted Referer and User-Agent, as Apache's and nginx's `combined`.
    case combined
    /// One JSON object per line: time, method, target, protocol, status, bytes, duration, peer,
    /// user agent, referer, request id, traceparent and worker pid.
    case json

    /// Whether a line needs more of the request than the request line (the fields and the start time).
    var needsRequestFields: Bool { self != .common }
}
