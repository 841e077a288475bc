/// The Prometheus text exposition format (version 0.0.4), written family by family: a `# HELP`
/// and a `# TYPE` line, then the family's samples.
///
/// swiftserve writes it itself rather than through swift-prometheus: its figures are sums over
/// processes, some of them gone, read from shared memory at each scrape, and swift-prometheus's
/// registry holds values observed in its own process (a histogram takes observations, not bucket
/// counts; a counter only increments), so it would be a second copy of every figure kept in step.
struct PrometheusText {
    /// The content type of the format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private(set) var text = ""

    /// Starts a family.
    mutating func family(_ name: String, type: String, help: String) {
        self.text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// A sample of the family last started (or of its `_bucket`, `_sum` and `_count` series).
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String> = [:], _ value: String) {
        self.text += name
        if !labels.isEmpty {
            self.text += "{"
            self.text += labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",")
            self.text += "}"
        }
        self.text += " \(value)\n"
    }

    mutating func sample(_ name: String, labels: KeyValuePairs<String, String> = [:], _ value: UInt64) {
        self.sample(name, labels: labels, String(value))
    }

    /// A label value with `\`, `"` and newlines escaped, as the format requires.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A number of seconds as the format writes a float.
    static func seconds(nanoseconds: UInt64) -> String {
        String(Double(nanoseconds) / 1_000_000_000)
    }
}
