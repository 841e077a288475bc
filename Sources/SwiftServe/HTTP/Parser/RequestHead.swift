import NIOCore
import SSGI

/// A request head as the parser read it: where each part lies in the head's bytes, the framing of
/// the body that follows, and the fields the server treats apart, noted as they were read.
///
/// The head's bytes stay where they arrived (the connection's input buffer), so a head costs no
/// copy and no string: `RequestHead` holds offsets from the head's first byte, read through
/// `withBytes(in:_:)` while the parser keeps them, that is until its next event.
public struct RequestHead: Sendable {
    /// One header field: where its name and value lie, and what the server makes of the name.
    struct Field: Sendable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        /// The end of the value as llhttp reports it: whitespace after it included.
        var valueEnd: Int32
        var name: FieldName
    }

    /// How the body that follows the head is framed (RFC 9112 §6.3), as llhttp decides it.
    public enum Framing: Equatable, Sendable {
        /// No body.
        case none
        /// A body of exactly this many bytes (Content-Length).
        case length(UInt64)
        /// A chunked body (Transfer-Encoding with chunked last).
        case chunked
    }

    /// The method, among those the server treats apart.
    var method: RequestMethods.Named = .get
    var methodLength = 0
    var targetStart = 0
    var targetEnd = 0
    /// The version, `1.1` or `1.0` for every head the parser hands over.
    public internal(set) var versionMajor = 1
    public internal(set) var versionMinor = 1
    var fields: [Field] = []
    /// The trailer fields of a chunked body, as offsets from the trailers' first byte; they are
    /// at `input`'s reader index at the request's `.end`.
    var trailers: [Field] = []
    public internal(set) var trailersLength = 0
    /// Whether the connection may stay open after this request, as llhttp decides it
    /// (`llhttp_should_keep_alive`): HTTP/1.1 unless `Connection: close`, HTTP/1.0 with
    /// `Connection: keep-alive`.
    public internal(set) var keepAlive = true
    /// Whether the request asks for another protocol (`Upgrade` with `Connection: upgrade`, or
    /// CONNECT): the parser reads nothing after it.
    public internal(set) var isUpgrade = false
    public internal(set) var framing = Framing.none
    /// How many bytes the head takes, its last CRLF included.
    public internal(set) var length = 0

    init() {
        self.fields.reserveCapacity(16)
    }

    /// The trailer fields as strings, while they are at `input`'s reader index (at `.end`).
    public func trailerStrings(in input: ByteBuffer) -> [(name: String, value: String)] {
        input.withUnsafeReadableBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[..<self.trailersLength])
            return self.trailers.map { field in
                (
                    String(decoding: bytes[Int(field.nameStart)..<Int(field.nameEnd)], as: UTF8.self),
                    String(decoding: bytes[Int(field.valueStart)..<Int(field.valueEnd)], as: UTF8.self)
                )
            }
        }
    }

    /// How many header fields the head has.
    public var fieldCount: Int { self.fields.count }

    /// Whether the method is HEAD, whose response has no body.
    var isHead: Bool { self.method == .head }

    /// Calls `body` with the head's bytes, which start at `input`'s reader index while the parser
    /// has not moved past the head (until its next event).
    func withBytes<Result>(in input: ByteBuffer, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        try input.withUnsafeReadableBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[..<self.length]))
        }
    }
}

extension RequestHead {
    /// The parts of the head as byte runs of `bytes`, the head's bytes (`withBytes(in:_:)`).
    struct Parts {
        let bytes: UnsafeRawBufferPointer
        let head: RequestHead

        var method: UnsafeRawBufferPointer { self.run(0, self.head.methodLength) }
        var target: UnsafeRawBufferPointer { self.run(self.head.targetStart, self.head.targetEnd) }
        func name(_ field: Field) -> UnsafeRawBufferPointer { self.run(Int(field.nameStart), Int(field.nameEnd)) }
        /// The value as llhttp reports it: without the whitespace before it, with any after it.
        func rawValue(_ field: Field) -> UnsafeRawBufferPointer {
            self.run(Int(field.valueStart), Int(field.valueEnd))
        }
        /// The value without the whitespace around it (RFC 9110 §5.5).
        func value(_ field: Field) -> UnsafeRawBufferPointer {
            var end = Int(field.valueEnd)
            while end > Int(field.valueStart), self.bytes[end - 1] == UInt8(ascii: " ") || self.bytes[end - 1] == 9 {
                end -= 1
            }
            return self.run(Int(field.valueStart), end)
        }

        private func run(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: self.bytes[start..<end])
        }
    }

    /// Calls `body` with the head's parts, while the head's bytes are at `input`'s reader index.
    func withParts<Result>(in input: ByteBuffer, _ body: (Parts) throws -> Result) rethrows -> Result {
        try self.withBytes(in: input) { try body(Parts(bytes: $0, head: self)) }
    }

    /// The method, the request target and the fields as strings (invalid UTF-8 repaired), for
    /// tests, logs and the fuzzer's comparison with SwiftNIO's parser.
    public func strings(in input: ByteBuffer) -> (
        method: String, target: String, fields: [(name: String, value: String)]
    ) {
        self.withParts(in: input) { parts in
            (
                String(decoding: parts.method, as: UTF8.self), String(decoding: parts.target, as: UTF8.self),
                self.fields.map {
                    (
                        String(decoding: parts.name($0), as: UTF8.self),
                        String(decoding: parts.rawValue($0), as: UTF8.self)
                    )
                }
            )
        }
    }
}

/// The header names the server treats apart, told once, when the parser reads the name.
enum FieldName: UInt8, Sendable {
    case other
    case host
    case contentLength
    case contentType
    case transferEncoding
    case connection
    case proxyConnection
    case upgrade
    case expect
    case forwarded
    case xForwardedFor
    case xForwardedHost
    case xForwardedProto

    /// The name `bytes` is, compared without regard to case.
    init(_ bytes: UnsafeRawBufferPointer) {
        switch bytes.count {
        case 4 where ASCII.equalsIgnoringCase(bytes, "host"): self = .host
        case 6 where ASCII.equalsIgnoringCase(bytes, "expect"): self = .expect
        case 7 where ASCII.equalsIgnoringCase(bytes, "upgrade"): self = .upgrade
        case 9 where ASCII.equalsIgnoringCase(bytes, "forwarded"): self = .forwarded
        case 10 where ASCII.equalsIgnoringCase(bytes, "connection"): self = .connection
        case 12 where ASCII.equalsIgnoringCase(bytes, "content-type"): self = .contentType
        case 14 where ASCII.equalsIgnoringCase(bytes, "content-length"): self = .contentLength
        case 15 where ASCII.equalsIgnoringCase(bytes, "x-forwarded-for"): self = .xForwardedFor
        case 16 where ASCII.equalsIgnoringCase(bytes, "proxy-connection"): self = .proxyConnection
        case 16 where ASCII.equalsIgnoringCase(bytes, "x-forwarded-host"): self = .xForwardedHost
        case 17 where ASCII.equalsIgnoringCase(bytes, "transfer-encoding"): self = .transferEncoding
        case 17 where ASCII.equalsIgnoringCase(bytes, "x-forwarded-proto"): self = .xForwardedProto
        default: self = .other
        }
    }

    /// Whether a request from a trusted proxy may say who the client is with this field.
    var isForwarding: Bool {
        switch self {
        case .forwarded, .xForwardedFor, .xForwardedHost, .xForwardedProto: true
        default: false
        }
    }
}
