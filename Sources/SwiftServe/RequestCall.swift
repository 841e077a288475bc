import CSSGI
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One request handed to the application: what its `ssgi_call` handle points to.
///
/// The application may call the operations from any thread. Each operation first checks the
/// rules of the specification against the application-side state (under a lock, so that the
/// result code is known at once), then hands the I/O to the connection's event loop.
final class RequestCall: @unchecked Sendable {
    let eventLoop: any EventLoop
    let allocator: ByteBufferAllocator
    /// The request as the application sees it; freed with the call, after `finish`.
    let arena: RequestArena
    private let connection: NIOLoopBound<ConnectionHandler>
    private let logger: Logger
    private let lock = NIOLock()
    private var state = State()

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
        let refusal: Int32? = self.lock.withLock {
            if self.state.finished { return Int32(SSGI_E_FINISHED) }
            if self.state.started {
                if !replacing { return Int32(SSGI_E_ALREADY_STARTED) }
                if self.state.committed { return Int32(SSGI_E_HEADERS_SENT) }
            }
            self.state.started = true
            self.state.declaredLength = head.contentLength
            return nil
        }
        if let refusal { return refusal }
        self.onLoop { $0.responseStarted(head, by: self) }
        return Int32(SSGI_OK)
    }

    func write(_ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?) -> Int32 {
        let refusal: Int32? = self.lock.withLock {
            if self.state.finished { return Int32(SSGI_E_FINISHED) }
            if !self.state.started { return Int32(SSGI_E_NOT_STARTED) }
            if self.state.disconnected { return Int32(SSGI_E_DISCONNECTED) }
            if let declared = self.state.declaredLength, self.state.written + bytes.count > declared {
                return Int32(SSGI_E_TOO_MUCH_BODY)
            }
            self.state.written += bytes.count
            if !bytes.isEmpty { self.state.committed = true }
            return nil
        }
        if let refusal { return refusal }
        let chunk = self.allocator.buffer(bytes: bytes)
        self.onLoop { $0.responseBody(chunk, completion: completion, by: self) }
        return Int32(SSGI_OK)
    }

    func read(maxLength: Int, completion: ReadCompletion) -> Int32 {
        let refusal: Int32? = self.lock.withLock {
            if self.state.finished { return Int32(SSGI_E_FINISHED) }
            return nil
        }
        if let refusal { return refusal }
        self.onLoop { $0.requestBodyRead(maxLength: maxLength, completion: completion, by: self) }
        return Int32(SSGI_OK)
    }

    func finish(failed: Bool, cleanup: CleanupCallback?) -> Int32 {
        let refusal: Int32? = self.lock.withLock {
            if self.state.finished { return Int32(SSGI_E_FINISHED) }
            self.state.finished = true
            self.state.committed = true
            return nil
        }
        if let refusal { return refusal }
        self.onLoop { $0.responseFinished(failed: failed, cleanup: cleanup, by: self) }
        return Int32(SSGI_OK)
    }

    func logError(_ message: String) {
        self.logger.error("\(message)")
    }

    /// Called on the event loop when the client went away: later writes are refused at once.
    func markDisconnected() {
        self.lock.withLock { self.state.disconnected = true }
    }

    /// Runs `body` on the connection's event loop: at once when already there (an inline
    /// application), otherwise in order behind the operations submitted before it.
    private func onLoop(_ body: @escaping @Sendable (ConnectionHandler) -> Void) {
        if self.eventLoop.inEventLoop {
            body(self.connection.value)
        } else {
            let connection = self.connection
            self.eventLoop.execute { body(connection.value) }
        }
    }
}
