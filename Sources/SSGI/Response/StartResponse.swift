/// The `start_response` callable: begins the response with a status line such as `"200 OK"` and
/// headers, and returns a writer for the body (PEP 3333's `write`).
///
/// Call it once. Calling it again is allowed only with `errorInfo` set, and only while nothing of
/// the response has been sent: the new status and headers then replace the old ones. A call the
/// server refuses (a malformed status, a hop-by-hop header) makes the request fail with a 500,
/// and the reason goes to the error log.
public struct StartResponse: Sendable {
    enum Backend: Sendable {
        case server(RequestState)
        case custom(@Sendable (String, [HTTPHeader], (any Error)?) -> ResponseWriter)
    }

    let backend: Backend

    init(state: RequestState) {
        self.backend = .server(state)
    }

    /// A start_response that hands its arguments to `handler`: how middleware such as the validator
    /// sees and changes what the application it wraps sends.
    public init(_ handler: @escaping @Sendable (String, [HTTPHeader], (any Error)?) -> ResponseWriter) {
        self.backend = .custom(handler)
    }

    /// Begins the response.
    @discardableResult
    public func callAsFunction(_ status: String, _ headers: [HTTPHeader], errorInfo: (any Error)? = nil)
        -> ResponseWriter
    {
        switch self.backend {
        case .server(let state):
            state.startResponse(status: status, headers: headers, hasErrorInfo: errorInfo != nil)
            return ResponseWriter(state: state)
        case .custom(let handler):
            return handler(status, headers, errorInfo)
        }
    }
}
