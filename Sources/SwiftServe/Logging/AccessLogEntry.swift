import Glibc
import NIOCore

/// One response as the access log records it, and its line in each `AccessLogFormat`.
struct AccessLogEntry {
    /// The client's address (behind a trusted proxy, the one it forwarded).
    var remote: String
    /// The time in Common Log Format, `02/Dec/2026:22:11:51 +0000`.
    var commonLogDate: String
    /// `GET /path HTTP/1.1`, or `-` for a request the server refused before reading it whole.
    var requestLine: String
    var status: Int
    /// Body bytes sent.
    var bytes: Int
    /// What the combined and JSON formats add, when the request got that far.
    var fields: RequestLogFields?

    func line(_ format: AccessLogFormat) -> String {
        switch format {
        case .common: return self.commonLine + "\n"
        case .combined:
            return self.commonLine
                + " \"\(Self.quoted(self.fields?.referer))\" \"\(Self.quoted(self.fields?.userAgent))\"\n"
        case .json: return self.jsonLine + "\n"
        }
    }

    private var commonLine: String {
        "\(self.remote.isEmpty ? "-" : self.remote) - - [\(self.commonLogDate)] \"\(self.requestLine)\" \(self.status) \(self.bytes == 0 ? "-" : String(self.bytes))"
    }

    /// A value between the double quotes of the combined format: `-` when absent, `"` and `\` escaped.
    private static func quoted(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    }

    private var jsonLine: String {
        let parts = self.requestLine.split(separator: " ", maxSplits: 2).map(String.init)
        let duration = self.fields.map { Double((NIODeadline.now() - $0.start).nanoseconds) / 1_000_000_000 }
        var members: [(String, String)] = [
            ("time", Self.string(Self.isoTime())),
            ("method", Self.string(parts.count == 3 ? parts[0] : nil)),
            ("target", Self.string(parts.count == 3 ? parts[1] : nil)),
            ("protocol", Self.string(parts.count == 3 ? parts[2] : nil)),
            ("status", String(self.status)),
            ("bytes", String(self.bytes)),
        ]
        members += [
            ("duration", duration.map { String($0) } ?? "null"),
            ("peer", Self.string(self.remote.isEmpty ? nil : self.remote)),
            ("user_agent", Self.string(self.fields?.userAgent)),
            ("referer", Self.string(self.fields?.referer)),
            ("request_id", Self.string(self.fields?.requestId)),
            ("traceparent", Self.string(self.fields?.traceparent)),
            ("worker_pid", Self.pid),
        ]
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// This process's id, read once: a worker keeps it for its life.
    private static let pid = String(getpid())

    /// A JSON string, or `null`.
    static func string(_ value: String?) -> String {
        guard let value else { return "null" }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// Now in UTC, to the millisecond: `2026-12-02T22:11:51.123Z`.
    static func isoTime() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = now.tv_nsec / 1_000_000
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis =
            milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millis)Z"
    }
}
