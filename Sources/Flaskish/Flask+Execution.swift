extension Flask {
    /// Where an exported application's views run (`Flask.export(execution:)`).
    ///
    /// Flask's views block: they call databases and files synchronously, and a Flask server gives
    /// each request a thread. Under swiftserve no request has a thread of its own, so a view must
    /// not block in either mode: it would hold up the thread that runs it, and every connection
    /// waiting on that thread.
    public enum Execution: Sendable {
        /// Every request runs as a Swift task: the body is read with asynchronous reads, and views
        /// may `await` other services. The SDK starts the task on the server's I/O thread that
        /// received the request, where it runs until it first suspends, then on Swift's global
        /// concurrent executor. The default.
        case concurrent
        /// A request without a body whose view, hooks and error handlers are all synchronous is
        /// answered at once on the server's I/O thread, inside the server's call, without a task;
        /// any other request runs as with `concurrent`.
        ///
        /// The fastest choice (a task costs a request several thousand instructions and a few
        /// allocations), for applications whose synchronous views are known never to block: they
        /// compute their answer from the request and memory. A synchronous view that waits for
        /// anything stalls every connection of the I/O thread for as long as it waits.
        case inline
    }
}
