import CSSGI
import SSGI

/// Request ids (`--request-id`, docs/SPEC.md §6.3): the id of each request reaches the
/// application as `HTTP_X_REQUEST_ID`, the access log, the lines the application logs, and the
/// response's `X-Request-Id`.
extension HTTP1ConnectionHandler {
    /// Lays the environ out with the client's `X-Request-Id` if the server keeps it, else with
    /// one the server makes in its place.
    func fillEnvironmentWithRequestId(_ parts: RequestHead.Parts) -> (
        request: UnsafePointer<ssgi_request>, droppedNames: [String]
    ) {
        var incoming: Int?
        for (index, field) in parts.head.fields.enumerated() where field.name == .other {
            let name = parts.name(field)
            if name.count == 12, ASCII.equalsIgnoringCase(name, "x-request-id") {
                incoming = index
                break
            }
        }
        if let incoming, RequestLogFields.isRequestId(parts.value(parts.head.fields[incoming])) {
            self.requestId = String(decoding: parts.value(parts.head.fields[incoming]), as: UTF8.self)
            return self.fillEnvironment(parts)
        }
        let id = self.requestIds?.next() ?? ""
        self.requestId = id
        return Array(id.utf8).withUnsafeBytes { bytes in
            self.fillEnvironment(RequestWithId(base: parts, dropped: incoming, id: bytes))
        }
    }

    /// Puts the request's id in the access log's fields and on the lines the application logs
    /// during the call (`ssgi.errors`); takes it off when the request has none.
    func tagRequestId() {
        let id = self.requestId ?? self.logFields?.requestId
        if self.requestIds != nil { self.logFields?.requestId = id }
        self.core.logger[metadataKey: "request_id"] = id.map { "\($0)" }
        self.tagsRequestId = id != nil
    }
}
