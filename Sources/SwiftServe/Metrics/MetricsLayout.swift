/// Where each counter of a process lives in its `MetricsRegion`: one row of 64-bit words per event
/// loop, every word a count that only grows. The master reads the rows of every worker and sums them
/// (`MetricsSnapshot`); a gauge is the difference of two counts (started less ended), so that a row
/// never needs a value that goes down, and a worker that dies leaves counts that still add up.
enum MetricsLayout {
    /// The methods counted apart; any other counts as `other`.
    static let methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other"]
    /// Status classes, `1xx` to `5xx`.
    static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]
    /// The upper bounds of the request-duration histogram's buckets, in seconds.
    static let durationBounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    // The offsets are literals, so that the request path reads constants rather than the arrays
    // above (`MetricsLayoutTests` holds them to the arrays).
    static let methodCount = 8
    static let statusClassCount = 5
    static let durationBoundCount = 13

    /// Requests answered, by method and status class: `requests + method * 5 + class`.
    static let requests = 0
    /// Answered requests per duration bucket (not cumulative; the last word is above every bound).
    static let durationBuckets = 40
    static let durationSumNanoseconds = 54
    static let requestsStarted = durationSumNanoseconds + 1
    static let requestsEnded = requestsStarted + 1
    static let connectionsOpened = requestsEnded + 1
    static let connectionsClosed = connectionsOpened + 1
    static let bytesReceived = connectionsClosed + 1
    static let bytesSent = bytesReceived + 1
    /// Requests the server answered itself, or connections it closed, by `RefusalReason`.
    static let refusals = bytesSent + 1
    /// The words of a row in use.
    static let fieldCount = refusals + RefusalReason.allCases.count
    /// The words of a row: a whole number of cache lines, so that two loops never share one.
    static let rowStride = (fieldCount + 7) / 8 * 8
    /// The bytes before the first row, which hold the application's description.
    static let headerBytes = 4096

    /// The word of `method` (its bytes) among `methods`.
    static func methodIndex(_ method: UnsafeRawBufferPointer) -> Int {
        func equals(_ name: StaticString) -> Bool {
            method.elementsEqual(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
        switch method.count {
        case 3 where equals("GET"): return 0
        case 4 where equals("HEAD"): return 1
        case 4 where equals("POST"): return 2
        case 3 where equals("PUT"): return 3
        case 6 where equals("DELETE"): return 4
        case 5 where equals("PATCH"): return 5
        case 7 where equals("OPTIONS"): return 6
        default: return 7
        }
    }

    /// The word of a status code among `statusClasses`; codes outside 100...599 count as `5xx`.
    static func statusClassIndex(_ status: Int) -> Int {
        (100...599).contains(status) ? status / 100 - 1 : statusClassCount - 1
    }

    /// The bucket of a duration.
    static func durationBucket(nanoseconds: UInt64) -> Int {
        switch nanoseconds {
        case ...1_000_000: 0
        case ...2_500_000: 1
        case ...5_000_000: 2
        case ...10_000_000: 3
        case ...25_000_000: 4
        case ...50_000_000: 5
        case ...100_000_000: 6
        case ...250_000_000: 7
        case ...500_000_000: 8
        case ...1_000_000_000: 9
        case ...2_500_000_000: 10
        case ...5_000_000_000: 11
        case ...10_000_000_000: 12
        default: 13
        }
    }
}

/// Why the server answered a request itself or closed a connection, as `swiftserve_refusals_total`
/// labels it.
enum RefusalReason: Int, CaseIterable, Sendable {
    case badRequest
    case uriTooLong
    case contentTooLarge
    case headerFieldsTooLarge
    case headerTimeout
    case bodyTimeout
    case sendTimeout
    case other

    /// The reason of a refusal answered with `status`.
    init(status: Int) {
        switch status {
        case 400: self = .badRequest
        case 413: self = .contentTooLarge
        case 414: self = .uriTooLong
        case 431: self = .headerFieldsTooLarge
        default: self = .other
        }
    }

    /// The label value.
    var label: String {
        switch self {
        case .badRequest: "bad_request"
        case .uriTooLong: "uri_too_long"
        case .contentTooLarge: "content_too_large"
        case .headerFieldsTooLarge: "header_fields_too_large"
        case .headerTimeout: "header_timeout"
        case .bodyTimeout: "body_timeout"
        case .sendTimeout: "send_timeout"
        case .other: "other"
        }
    }
}
