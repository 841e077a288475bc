import NIOCore
import SSGI
import Vapor

/// A Vapor `Response` as SSGI sends it: `startResponse` with its status and headers, then its body.
struct VaporResponse {
    let response: Response
    /// The request it answers: a HEAD request's stream is not run; its path names it in messages.
    let request: Request

    init(_ response: Response, for request: Request) {
        self.response = response
        self.request = request
    }

    /// `NNN Reason`, from Vapor's status (the reason phrase may be empty; the space stays).
    var status: String {
        "\(self.response.status.code) \(self.response.status.reasonPhrase)"
    }

    /// The headers without those SSGI leaves to the server: the hop-by-hop ones (Vapor sets
    /// `Transfer-Encoding: chunked` on streams, an application may set `Connection`; the server
    /// frames the body and decides on persistence itself), and Content-Length on 1xx and 204
    /// responses, where Vapor sets `0` but RFC 9110 forbids it and the server refuses it.
    var headers: [HTTPHeader] {
        let code = Int(self.response.status.code)
        let contentLengthForbidden = (100..<200).contains(code) || code == 204
        return self.response.headers.compactMap { name, value in
            if ResponseRules.isHopByHop(name.utf8) { return nil }
            if contentLengthForbidden, ASCII.equalsIgnoringCase(name.utf8, "content-length") { return nil }
            return (name, value)
        }
    }

    /// Starts the response and returns its body.
    ///
    /// A streaming body (`Response.Body(stream:)`, `asyncStream:`, what `FileIO` returns) is collected
    /// first, with `Response.Body.collect(on:)`: Vapor gives no public way to run a body's stream
    /// callback with a writer other than its own HTTP server's. A stream whose bytes the client would
    /// not get (HEAD, 1xx, 204, 304) is not run, as under Vapor's server. A body already in memory
    /// is sent for HEAD too: the server discards it, and it matches the Content-Length Vapor set.
    func send(with startResponse: StartResponse, on eventLoop: any EventLoop) async throws -> ResponseBody {
        if self.response.upgrader != nil {
            throw VaporAdapterError.upgradeNotSupported(path: self.request.url.path)
        }
        let code = Int(self.response.status.code)
        guard ResponseRules.allowsBody(status: code) else {
            startResponse(self.status, self.headers)
            return .empty
        }
        let body = self.response.body
        let buffer: ByteBuffer?
        if let buffered = body.buffer {
            buffer = buffered
        } else if self.request.method == .HEAD {
            buffer = nil
        } else {
            buffer = try await body.collect(on: eventLoop).get()
        }
        startResponse(self.status, self.headers)
        guard let buffer, buffer.readableBytes > 0 else { return .empty }
        return .bytes(Array(buffer.readableBytesView))
    }
}
