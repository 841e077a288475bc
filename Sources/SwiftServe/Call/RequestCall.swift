import CSSGI
import Logging
import NIOCore
import Synchronization

/// One request handed to the application: what its `ssgi_call` handle points to.
///
/// The application may call the operations from any thread. Each operation first checks the
/// rules of the specification against the application-side state (under a lock, so that the
/// result code is known at once), then hands the I/O to the connection's event loop: directly
/// when the caller is already on it (an inline application, or an asynchronous one that has not
/// left the I/O thread), with neither a hop nor an allocation; otherwise as a task on the loop,
/// in order behind the operations submitted before it.
final class RequestCall: @unchecked Sendable {
    let eventLoop: any EventLoop
    let allocator: ByteBufferAllocator
    /// The request as the application sees it; kept alive with the call, until `finish`.
    let arena: RequestArena
    private let connection: NIOLoopBound<ConnectionHandler>
    private let logger: Logger
    private let state = Mutex(State())

    /// What the application has done so far, as the rules see it.
    private struct State {
        var started = false
        /// A byte of the response went out (or finish came): start_response can no longer replace the head.
        var committed = false
        var finished = false
        var disconnected = false
        var declaredLength: Int?
        var written = 0
    }

    init(
        connection: ConnectionHandler, eventLoop: any EventLoop, allocator: ByteBufferAllocator,
        arena: RequestArena, logger: Logger
    ) {
        self.connection = NIOLoopBound(connection, eventLoop: eventLoop)
        self.eventLoop = eventLoop
        self.allocator = allocator
        self.arena = arena
        self.logger = logger
    }

    func startResponse(_ head: ResponseHead, replacing: Bool) -> Int32 {
        let refusal: Int32? = self.state.withLock { state in
            if state.finished { return Int32(SSGI_E_FINISHED) }
            if state.started {
                if !replacing { return Int32(SSGI_E_ALREADY_STARTED) }
                if state.committed { return Int32(SSGI_E_HEADERS_SENT) }
            }
            state.started = true
            state.declaredLength = head.contentLength
            return nil
        }
        if let refusal { return refusal }
        if self.eventLoop.inEventLoop {
            self.connection.value.responseStarted(head, by: self)
        } else {
            let connection = self.connection
            self.eventLoop.execute { connection.value.responseStarted(head, by: self) }
        }
        return Int32(SSGI_OK)
    }

    func write(_ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?) -> Int32 {
        let refusal: Int32? = self.state.withLock { state in
            if state.finished { return Int32(SSGI_E_FINISHED) }
            if !state.started { return Int32(SSGI_E_NOT_STARTED) }
            if state.disconnected { return Int32(SSGI_E_DISCONNECTED) }
            if let declared = state.declaredLength, state.written + bytes.count > declared {
                return Int32(SSGI_E_TOO_MUCH_BODY)
            }
            state.written += bytes.count
            if !bytes.isEmpty { state.committed = true }
            return nil
        }
        if let refusal { return refusal }
        if self.eventLoop.inEventLoop {
            // The bytes are valid for this call only, and the connection copies them before it returns.
            self.connection.value.responseBody(bytes, completion: completion, by: self)
        } else {
            let chunk = self.allocator.buffer(bytes: bytes)
            let connection = self.connection
            self.eventLoop.execute {
                connection.value.responseBody(chunk.readableBytesView, completion: completion, by: self)
            }
        }
        return Int32(SSGI_OK)
    }

    func read(maxLength: Int, completion: ReadCompletion) -> Int32 {
        let finished = self.state.withLock { $0.finished }
        if finished { return Int32(SSGI_E_FINISHED) }
        if self.eventLoop.inEventLoop {
            self.connection.value.requestBodyRead(maxLength: maxLength, completion: completion, by: self)
        } else {
            let connection = self.connection
            self.eventLoop.execute {
                connection.value.requestBodyRead(maxLength: maxLength, completion: completion, by: self)
            }
        }
        return Int32(SSGI_OK)
    }

    func finish(failed: Bool, cleanup: CleanupCallback?) -> Int32 {
        let refusal: Int32? = self.state.withLock { state in
            if state.finished { return Int32(SSGI_E_FINISHED) }
            state.finished = true
            state.committed = true
            return nil
        }
        if let refusal { return refusal }
        if self.eventLoop.inEventLoop {
            self.connection.value.responseFinished(failed: failed, cleanup: cleanup, by: self)
        } else {
            let connection = self.connection
            self.eventLoop.execute { connection.value.responseFinished(failed: failed, cleanup: cleanup, by: self) }
        }
        return Int32(SSGI_OK)
    }

    func logError(_ message: String) {
        self.logger.error("\(message)")
    }

    /// Called on the event loop when the client went away: later writes are refused at once.
    func markDisconnected() {
        self.state.withLock { $0.disconnected = true }
    }
}
