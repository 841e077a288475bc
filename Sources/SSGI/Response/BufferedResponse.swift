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
    /// The body: bytes, or a string whose UTF-8 is sent as the string stores it, without a copy.
    public var content: BodyChunk

    /// A response with `status`, `headers` and `body`.
    public init(status: HTTPStatus = .ok, headers: HeaderFields = [:], body: [UInt8] = []) {
        self.init(status: status, headers: headers, content: BodyChunk(body))
    }

    /// A response with `status`, `headers` and the body `content`: `BodyChunk(text)` sends a
    /// string without first copying it into bytes.
    public init(status: HTTPStatus = .ok, headers: HeaderFields = [:], content: BodyChunk) {
        self.status = status
        self.headers = headers
        self.content = content
    }

    /// The body's bytes.
    public var body: [UInt8] {
        get { self.content.bytes }
        set { self.content = BodyChunk(newValue) }
    }

    /// Starts the response with `startResponse` and returns its body; `framework` names who dropped
    /// a header in the message written to `errors`.
    ///
    /// The headers are checked and completed in one pass into the one array `startResponse` gets.
    public func send(_ startResponse: StartResponse, errors: ErrorStream, framework: String) -> ResponseBody {
        let allowsBody = self.status.allowsBody
        var fields: [HTTPHeader] = []
        fields.reserveCapacity(self.headers.fields.count + 2)
        var dropped: [String] = []
        var hasContentType = false
        var lengthIndex: Int?
        for field in self.headers.fields {
            let name = field.name.utf8
            if ResponseRules.isHopByHop(name) {
                if !dropped.contains(where: { HeaderFields.sameName($0, field.name) }) {
                    dropped.append(field.name)
                    errors.write(
                        "\(framework): dropped the hop-by-hop header \(field.name), which belongs to the server")
                }
                continue
            }
            if ASCII.equalsIgnoringCase(name, "content-type") {
                guard allowsBody else { continue }
                hasContentType = true
            } else if ASCII.equalsIgnoringCase(name, "content-length") {
                // A 304 keeps the length of the response it stands for; otherwise the body's counts, once.
                guard allowsBody ? lengthIndex == nil : self.status.code == 304 else { continue }
                if allowsBody { lengthIndex = fields.count }
            }
            fields.append(field)
        }
        guard allowsBody else {
            startResponse(self.status.description, fields)
            return .empty
        }
        if !hasContentType {
            fields.append(("Content-Type", "application/octet-stream"))
        }
        let length = String(self.content.count)
        if let lengthIndex {
            fields[lengthIndex].value = length
        } else {
            fields.append(("Content-Length", length))
        }
        startResponse(self.status.description, fields)
        return ResponseBody(chunks: [self.content])
    }
}
