import CSSGI
import NIOCore
import SSGI

/// A response head as the application gave it to `start_response`, checked against the
/// specification and laid out as the bytes that go on the wire.
///
/// The head is serialised once, when the application gives it: `bytes` is the status line and the
/// application's header lines as they go on the wire, to which the connection adds its own headers
/// when the response is committed.
struct ResponseHead {
    /// The numeric status, such as 200.
    var statusCode: Int
    /// `HTTP/1.1 NNN Reason\r\n`, then the application's header lines, each `Name: value\r\n`.
    var bytes: [UInt8]
    private var statusLength: Int
    /// The Content-Length the application declared, if any.
    var contentLength: Int?
    /// Whether the application set its own `Server` and `Date` headers.
    var hasServer = false
    var hasDate = false

    /// Why `start_response` was refused, as the ABI's result code.
    enum Violation: Error, Equatable {
        case invalidStatus
        case invalidHeader
        case hopByHop

        var code: Int32 {
            switch self {
            case .invalidStatus: Int32(SSGI_E_INVALID_STATUS)
            case .invalidHeader: Int32(SSGI_E_INVALID_HEADER)
            case .hopByHop: Int32(SSGI_E_HOP_BY_HOP)
            }
        }
    }

    /// What `bytes` is allocated with: room for a typical head.
    static let initialCapacity = 256

    /// Checks and copies a status and headers, into `storage` when it is given: the memory of a
    /// previous response's head, kept by the connection so that a response head costs no
    /// allocation.
    init<Bytes: Collection<UInt8>, Headers: Sequence<(name: Bytes, value: Bytes)>>(
        status: Bytes, headers: Headers, storage: [UInt8] = []
    ) throws(Violation) {
        guard let code = ResponseRules.statusCode(status) else { throw .invalidStatus }
        self.statusCode = code
        self.statusLength = status.count
        self.bytes = storage
        self.bytes.removeAll(keepingCapacity: true)
        self.bytes.reserveCapacity(Self.initialCapacity)
        Self.append("HTTP/1.1 ", to: &self.bytes)
        self.bytes.append(contentsOf: status)
        Self.append("\r\n", to: &self.bytes)
        for (name, value) in headers {
            guard ResponseRules.isHeaderName(name), ResponseRules.isHeaderValue(value) else { throw .invalidHeader }
            guard !ResponseRules.isHopByHop(name) else { throw .hopByHop }
            if ASCII.equalsIgnoringCase(name, "content-length") {
                guard let length = Self.decimal(value), self.contentLength == nil || self.contentLength == length
                else { throw .invalidHeader }
                self.contentLength = length
            } else if ASCII.equalsIgnoringCase(name, "server") {
                self.hasServer = true
            } else if ASCII.equalsIgnoringCase(name, "date") {
                self.hasDate = true
            }
            self.bytes.append(contentsOf: name)
            Self.append(": ", to: &self.bytes)
            self.bytes.append(contentsOf: value)
            Self.append("\r\n", to: &self.bytes)
        }
        // RFC 9110 §8.6: no Content-Length on a 1xx or 204 response.
        if self.contentLength != nil, (100..<200).contains(code) || code == 204 { throw .invalidHeader }
    }

    /// `NNN Reason`, as given.
    var status: ArraySlice<UInt8> {
        self.bytes[9..<9 + self.statusLength]
    }

    /// The application's header lines, each `Name: value\r\n`.
    var headerLines: ArraySlice<UInt8> {
        self.bytes[(9 + self.statusLength + 2)...]
    }

    /// Whether a response with this status may carry a body (RFC 9110: not 1xx, 204 or 304).
    var allowsBody: Bool { ResponseRules.allowsBody(status: self.statusCode) }

    /// Appends a literal's bytes with one copy (appending a `String`'s UTF-8 view costs several times more).
    private static func append(_ literal: StaticString, to bytes: inout [UInt8]) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `1*DIGIT`, at most 18 digits: a Content-Length value.
    static func decimal<Bytes: Collection<UInt8>>(_ value: Bytes) -> Int? {
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var number = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return number
    }
}
