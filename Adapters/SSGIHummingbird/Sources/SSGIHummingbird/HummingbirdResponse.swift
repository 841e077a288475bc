import HTTPTypes
import Hummingbird
import SSGI

/// A Hummingbird `Response` as SSGI sends it: `startResponse` with its status and headers, then
/// its body, streamed.
struct HummingbirdResponse {
    let response: Response

    init(_ response: Response) {
        self.response = response
    }

    /// `NNN Reason`, from Hummingbird's status (the reason phrase may be empty; the space stays).
    var status: String {
        "\(self.response.status.code) \(self.response.status.reasonPhrase)"
    }

    /// The headers as Hummingbird's server would send them, minus what SSGI leaves to the server,
    /// plus a Content-Type where SSGI wants one and Hummingbird set none.
    ///
    /// Hop-by-hop fields (Connection, Transfer-Encoding, ...) are dropped: framing and persistence
    /// are the server's. On a status without a body (1xx, 204, 304) Content-Length is dropped too, as
    /// NIO's HTTP/1 encoder drops it behind Hummingbird's server (`Response(status: .noContent)`
    /// carries `Content-Length: 0`, which SSGI refuses on a 204).
    ///
    /// Hummingbird sends some responses without a Content-Type, notably its empty error responses
    /// (the 404 of an unknown route, `HTTPError` without a message, the 500 of an unexpected error).
    /// SSGI's validator, like `wsgiref.validate`, requires one on every status that may carry a body,
    /// so such a response gets `text/plain; charset=utf-8` when it declares an empty body (what
    /// Hummingbird gives a `String`), and otherwise `application/octet-stream`, the type RFC 9110
    /// §8.3 lets a client assume when there is none.
    var headers: [HTTPHeader] {
        let allowsBody = ResponseRules.allowsBody(status: self.response.status.code)
        var headers: [HTTPHeader] = []
        headers.reserveCapacity(self.response.headers.count + 1)
        for field in self.response.headers {
            let name = field.name.rawName
            if ResponseRules.isHopByHop(name.utf8) { continue }
            if !allowsBody, field.name == .contentLength { continue }
            headers.append((name, field.value))
        }
        if allowsBody, self.response.headers[.contentType] == nil {
            let empty = self.response.headers[.contentLength] == "0"
            headers.append(("Content-Type", empty ? "text/plain; charset=utf-8" : "application/octet-stream"))
        }
        return headers
    }

    /// The longest body, by its declared length, written to memory and handed to the server whole.
    static let largestCollectedBody = 64 * 1024

    /// Starts the response and returns its body.
    ///
    /// A body of known length up to `largestCollectedBody` (a string, a buffer, encoded JSON) is
    /// written to memory here and returned as bytes. Any other body writes Hummingbird's body
    /// through the SDK's writer as it is produced, waiting for the server after each buffer.
    func send(with startResponse: StartResponse) async -> SSGI.ResponseBody {
        startResponse(self.status, self.headers)
        let body = self.response.body
        if let length = body.contentLength, length <= Self.largestCollectedBody {
            let writer = CollectingBodyWriter(capacity: length)
            do {
                try await body.write(writer)
            } catch {
                // As when streaming: the status line goes out, then the error cuts the connection.
                return .stream { _ in throw error }
            }
            return writer.storage.bytes.isEmpty ? .empty : .bytes(writer.storage.bytes)
        }
        return .stream { writer in
            try await body.write(SSGIResponseBodyWriter(writer))
        }
    }
}
