/// What a view may return: anything Flaskish can make a response of (Flask's `make_response`).
///
/// A `String` is an HTML page (200, `text/html; charset=utf-8`), a `Response` is sent as it is,
/// and a type that is `Encodable` gets JSON by declaring the conformance alone:
/// `struct User: Encodable, ResponseConvertible { ... }`.
public protocol ResponseConvertible: Sendable {
    /// The response this value stands for.
    func makeResponse() throws -> Response
}

extension ResponseConvertible where Self: Encodable {
    /// The value as JSON, as `jsonify` writes it.
    public func makeResponse() throws -> Response {
        try jsonify(self)
    }
}

extension Response: ResponseConvertible {
    public func makeResponse() -> Response { self }
}

extension String: ResponseConvertible {
    /// The string as an HTML page, as Flask answers a view that returns a string.
    public func makeResponse() -> Response { Response(self) }
}

extension Substring: ResponseConvertible {
    /// The text as an HTML page, as for `String`.
    public func makeResponse() -> Response { Response(String(self)) }
}

extension Never: ResponseConvertible {
    /// Lets a view whose one statement is `try abort(403)` type-check.
    public func makeResponse() -> Response {
        switch self {}
    }
}
