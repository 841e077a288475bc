import Foundation

extension RawHTTPClient {
    /// Sends one HTTP/1.1 request for `localhost` on this connection, with a Content-Length when
    /// there is a body, and reads its response.
    public func exchange(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> RawResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        try self.send(Array((head + "\r\n").utf8) + (body ?? []))
        return try self.readResponse(forHead: method == "HEAD")
    }
}
