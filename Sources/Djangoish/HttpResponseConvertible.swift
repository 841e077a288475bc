/// What a view may return: `HttpResponse` itself, or a response type built on it (`JsonResponse`,
/// `HttpResponseRedirect`, `HttpResponseNotAllowed`), as Django's response subclasses are.
public protocol HttpResponseConvertible: Sendable {
    /// The response to send.
    var httpResponse: HttpResponse { get }
}
