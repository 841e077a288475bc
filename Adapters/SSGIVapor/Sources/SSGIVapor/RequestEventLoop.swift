/// Where the adapter runs Vapor's responder for a request, and so what `Request.eventLoop` is.
public enum RequestEventLoop: Sendable {
    /// On the thread the server called the application on, with an event loop of the request's own
    /// (`CallingThreadEventLoop`): no thread hop for a route whose futures are already complete, so
    /// a synchronous route costs no more than its own code. `Request.eventLoop` is then none of the
    /// application's loops, so services that look a loop up among them (Fluent's connection pools,
    /// through `request.db`) cannot serve the request; use `applicationEventLoop` for those.
    case callingThread
    /// On one of the application's event loops, as under Vapor's own HTTP server: each request
    /// crosses to that loop and back, which costs a request about as much as the route itself.
    case applicationEventLoop
}
