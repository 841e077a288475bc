/// A value a view may return: a `Response`, or an `HTTPException` such as a redirect, which in
/// Pyramid is a response too.
public protocol ResponseConvertible: Sendable {
    /// The response to send.
    var response: Response { get }
}
