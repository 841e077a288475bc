import SSGI

/// The seam between the call core and a connection front-end: what `CallCore` asks of the
/// front-end that carries its calls. HTTP/1.1 is the one front-end today
/// (`HTTP1ConnectionHandler`); an HTTP/2 stream is the next, and it plugs in here without the
/// call core changing.
///
/// The division of work: the front-end turns bytes into a request (a head, `RequestDescription`,
/// then body bytes, `CallCore.bodyReceived(_:)`) and the response events below back into bytes,
/// framing and all, with its own connection rules and timers. The call core knows SSGI and no
/// framing: the environ and its arena, the C call, the specification's rules for the order of
/// operations, the application's reads (served from the body bytes it is given, with
/// back-pressure) and writes (completed when the front-end can take more), and cleanup.
///
/// Every method runs on the front-end's event loop, in the order the application called the
/// operations; none of them may call the application's `handle`.
protocol CallFrontEnd: AnyObject {
    /// The application gave its response head. Nothing is sent yet: until a body byte is
    /// written, `start_response` with error information may replace it.
    func responseStarted(_ head: ResponseHead)

    /// Body bytes the application wrote, valid only during this call (the front-end copies what
    /// it keeps). Returns whether the front-end can take more at once; when not, it calls
    /// `CallCore.writable()` once it can.
    func responseBody(_ bytes: UnsafeRawBufferPointer) -> Bool

    /// The application finished the call: the response ends, or, when `failed` (or without a
    /// head), fails. `cleanup` runs once the last bytes are handed to the socket, or are not.
    func responseFinished(failed: Bool, cleanup: CleanupCallback?)

    /// The application waits for body bytes and none are buffered: the body should come (an
    /// HTTP/1.1 front-end sends `100 Continue` when the client waits for it, and reads again).
    func bodyWanted()

    /// The application took body bytes: with fewer buffered, the front-end may read again.
    func bodyTaken()
}
