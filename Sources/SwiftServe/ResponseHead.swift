import CSSGI
import NIOCore

/// A response head as the application gave it to `start_response`, checked against the
/// specification and laid out as the bytes that go on the wire.
struct ResponseHead {
    /// The numeric status, such as 200.
    var statusCode: Int
    /// `NNN Reason`, as given.
    var status: ByteBuffer
    /// The application's header lines, each `Name: value\r\n`.
    var headerLines: ByteBuffer
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

    /// Checks and copies a status and headers.
    init<Bytes: Collection<UInt8>, Headers: Sequence<(name: Bytes, value: Bytes)>>(
        status: Bytes, headers: Headers, allocator: ByteBufferAllocator
    ) throws(Violation) {
        guard let code = Self.statusCode(status) else { throw .invalidStatus }
        self.statusCode = code
        self.status = allocator.buffer(bytes: status)
        self.headerLines = allocator.buffer(capacity: 256)
        for (name, value) in headers {
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else { throw .invalidHeader }
            guard value.allSatisfy(Self.isFieldValueByte) else { throw .invalidHeader }
            switch Self.lowercased(name) {
            case "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                "trailers", "transfer-encoding", "upgrade":
                throw .hopByHop
            case "content-length":
                guard let length = Self.decimal(value), self.contentLength == nil || self.contentLength == length
                else { throw .invalidHeader }
                self.contentLength = length
            case "server":
                self.hasServer = true
            case "date":
                self.hasDate = true
            default:
                break
            }
            self.headerLines.writeBytes(name)
            self.headerLines.writeStaticString(": ")
            self.headerLines.writeBytes(value)
            self.headerLines.writeStaticString("\r\n")
        }
    }

    /// Whether a response with this status may carry a body (RFC 9110: not 1xx, 204 or 304).
    var allowsBody: Bool {
        !(100..<200).contains(self.statusCode) && self.statusCode != 204 && self.statusCode != 304
    }

    /// `NNN Reason`: three digits from 100 to 999, one space, a reason without control characters.
    static func statusCode<Bytes: Collection<UInt8>>(_ status: Bytes) -> Int? {
        var iterator = status.makeIterator()
        var code = 0
        for position in 0..<3 {
            guard let byte = iterator.next(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            guard position > 0 || byte != UInt8(ascii: "0") else { return nil }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard iterator.next() == UInt8(ascii: " ") else { return nil }
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F) else { return nil }
        }
        return code
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// A field value byte: anything but a control character other than horizontal tab.
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }

    private static func lowercased<Bytes: Collection<UInt8>>(_ name: Bytes) -> String {
        String(decoding: name.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private static func decimal<Bytes: Collection<UInt8>>(_ value: Bytes) -> Int? {
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var number = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return number
    }
}
