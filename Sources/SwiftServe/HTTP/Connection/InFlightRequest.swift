import NIOCore
import NIOHTTP1
import SSGI

/// A request on a connection from the moment its head arrives until its response is written and
/// its body consumed: the request-body side, and the response side.
final class InFlightRequest {
    let call: RequestCall
    let head: HTTPRequestHead
    /// The client asked for the connection to stay open, and nothing since said otherwise.
    var keepAlive: Bool
    let expectsContinue: Bool
    /// REMOTE_ADDR as the application sees it (the client's, behind a trusted proxy), for the access log.
    var remoteAddr = ""

    // The request body.
    // Arrays rather than ring buffers: empty, they cost no allocation, and a request without a
    // body never fills them. The application keeps one read pending at a time, and the bytes held
    // stay under `RequestLimits.bodyBuffer`, so both stay short.
    var body: [ByteBuffer] = []
    var bufferedBytes = 0
    var requestEnded = false
    var bodyFailed = false
    var pendingReads: [(maxLength: Int, completion: ReadCompletion)] = []
    var continueSent = false
    /// Bytes thrown away after the response, while waiting for the end of an unread body.
    var drainedBytes = 0
    /// Body bytes received so far, and the seconds the server spent waiting for them (`BodyRateRule`).
    var receivedBodyBytes = 0
    var bodyWaitSeconds = 0

    // The response.
    var responseHead: ResponseHead?
    /// Set when the head goes out; nil before.
    var framing: ResponseFraming?
    /// The first body chunk, held back so that a one-chunk body can be sent with a Content-Length.
    var deferredChunk: ByteBuffer?
    var bodyBytesSent = 0
    var waitingWrites: [WriteCompletion] = []
    /// The application called finish.
    var responded = false
    /// The status sent, for the access log.
    var statusCode = 0

    init(call: RequestCall, head: HTTPRequestHead) {
        self.call = call
        self.head = head
        // SSGI 1.0 has no protocol upgrades, and the parser stops after a request that asks for
        // one: answer it as a plain request, then close.
        var upgrade = false
        var expectsContinue = false
        for (name, value) in head.headers {
            if ASCII.equalsIgnoringCase(name.utf8, "upgrade") {
                upgrade = true
            } else if ASCII.equalsIgnoringCase(name.utf8, "expect"),
                ASCII.equalsIgnoringCase(value.utf8, "100-continue")
            {
                expectsContinue = true
            }
        }
        self.keepAlive = head.isKeepAlive && !upgrade && head.method != .CONNECT
        self.expectsContinue = head.version.minor >= 1 && expectsContinue
    }

    var isHeadRequest: Bool { self.head.method == .HEAD }

    var clientIsHTTP10: Bool { self.head.version.minor == 0 }

    /// `METHOD target HTTP/x.y`, for the logs.
    var requestLine: String {
        "\(self.head.method.rawValue) \(self.head.uri) HTTP/\(self.head.version.major).\(self.head.version.minor)"
    }
}
