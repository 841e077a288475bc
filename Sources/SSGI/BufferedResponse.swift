/// A response held in memory, as most framework views produce one: a status, headers and a body.
///
/// `send` applies the rules of the specification a framework would otherwise repeat: hop-by-hop
/// headers are dropped (and logged), Content-Length is set from the body, and a status without a
/// body (1xx, 204, 304) loses its Content-Type and body.
public struct BufferedResponse: Sendable {
    /// The status, such as `.ok`.
    public var status: HTTPStatus
    /// The header fields, Content-Type included.
    public var headers: HeaderFields
    /// The body's bytes.
    public var body: [UInt8]

    /// A response with `status`, `headers` and `body`.
    public init(status: HTTPStatus = .ok, headers: HeaderFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Starts the response with `startResponse` and returns its body; `framework` names who dropped
    /// a header in the message written to `errors`.
    public func send(_ startResponse: StartResponse, errors: ErrorStream, framework: String) -> ResponseBody {
        var headers = self.headers
        for field in self.headers.fields where ResponseRules.isHopByHop(field.name.utf8) && headers.contains(field.name)
        {
            headers.remove(field.name)
            errors.write("\(framework): dropped the hop-by-hop header \(field.name), which belongs to the server")
        }
        guard self.status.allowsBody else {
            headers.remove("Content-Type")
            if self.status.code != 304 { headers.remove("Content-Length") }
            startResponse(self.status.description, headers.fields)
            return .empty
        }
        if !headers.contains("Content-Type") {
            headers["Content-Type"] = "application/octet-stream"
        }
        headers["Content-Length"] = String(self.body.count)
        startResponse(self.status.description, headers.fields)
        return .bytes(self.body)
    }
}
