import NIOCore
import SSGI

/// What the combined and JSON access logs say of a request beyond its request line: a few of its
/// fields, checked where they have a grammar, and when its head arrived.
struct RequestLogFields: Sendable {
    var userAgent: String?
    var referer: String?
    /// `X-Request-Id`, when it is at most `maximumRequestIdLength` bytes of `A-Z a-z 0-9 - _ . : / + =`.
    var requestId: String?
    /// `traceparent` (W3C Trace Context), when it has the version-00 form.
    var traceparent: String?
    var start: NIODeadline

    /// The longest `X-Request-Id` kept.
    static let maximumRequestIdLength = 128

    init(start: NIODeadline) {
        self.start = start
    }

    /// The fields of `request`, an HTTP/1.1 head or an HTTP/2 stream's HEADERS.
    init(_ request: some RequestDescription, start: NIODeadline) {
        self.init(start: start)
        for index in 0..<request.fieldCount {
            let name = request.name(at: index)
            switch name.count {
            case 7 where ASCII.equalsIgnoringCase(name, "referer"):
                self.referer = String(decoding: request.value(at: index), as: UTF8.self)
            case 10 where ASCII.equalsIgnoringCase(name, "user-agent"):
                self.userAgent = String(decoding: request.value(at: index), as: UTF8.self)
            case 11 where ASCII.equalsIgnoringCase(name, "traceparent"):
                let value = request.value(at: index)
                if Self.isTraceparent(value) { self.traceparent = String(decoding: value, as: UTF8.self) }
            case 12 where ASCII.equalsIgnoringCase(name, "x-request-id"):
                let value = request.value(at: index)
                if Self.isRequestId(value) { self.requestId = String(decoding: value, as: UTF8.self) }
            default:
                break
            }
        }
    }

    /// Whether `value` is a request id the log may repeat: bounded, and of characters that need
    /// no escaping anywhere.
    static func isRequestId(_ value: some Collection<UInt8>) -> Bool {
        !value.isEmpty && value.count <= Self.maximumRequestIdLength
            && value.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"),
                    UInt8(ascii: "+"), UInt8(ascii: "="):
                    true
                default:
                    false
                }
            }
    }

    /// Whether `value` is `00-<32 hex>-<16 hex>-<2 hex>`, lowercase, with a trace id and a parent
    /// id that are not all zeros (W3C Trace Context §3.2).
    static func isTraceparent(_ value: some Collection<UInt8>) -> Bool {
        let bytes = Array(value)
        guard bytes.count == 55, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0") else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 2 || index == 35 || index == 52 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                else { return false }
            }
        }
        let zeros = { (range: Range<Int>) in bytes[range].allSatisfy { $0 == UInt8(ascii: "0") } }
        return !zeros(3..<35) && !zeros(36..<52)
    }
}
