import CSSGI
import Logging
import NIOCore
import SSGI

/// The call core of one connection (of one HTTP/2 stream, next): it hands each request to the
/// application as an SSGI call and carries out the application's operations, knowing SSGI and no
/// HTTP framing (`CallFrontEnd` says who does what).
///
/// One call at a time: `start(_:)` begins a call once the previous one finished. The application
/// may call the operations from any thread; `CallHandle` checks the specification's rules at
/// once, under its lock, and the work is done here on the event loop: directly when the caller is
/// on it (an inline application, or an asynchronous one that has not left the I/O thread), with
/// neither a hop nor an allocation; otherwise as a task on the loop, in order behind the
/// operations submitted before it. Every other method runs on the event loop, and the state is
/// touched only there, by methods that keep no access open across a call out (to the application
/// or the front-end): it goes without the dynamic exclusivity checks.
final class CallCore: CallDelegate, @unchecked Sendable {
    let eventLoop: any EventLoop
    /// The C form of the request in flight, refilled for each request.
    let arena = RequestArena()
    /// Who carries the response; nil once the connection is gone.
    @exclusivity(unchecked) var frontEnd: (any CallFrontEnd)?
    private let application: LoadedApplication
    private let allocator: ByteBufferAllocator
    @exclusivity(unchecked) var logger: Logger
    /// Body bytes held for the application before the front-end stops reading.
    private let bodyLimit: Int
    /// The requests the application holds, which a stopping server waits for.
    private let heldRequests: HeldRequests

    /// The call in flight: from `start` until the application's `finish`.
    @exclusivity(unchecked) private(set) var current: CallHandle?
    /// The request of the last call, in `arena` until the next one starts.
    @exclusivity(unchecked) private var request: UnsafePointer<ssgi_request>?
    /// Body bytes not yet read by the application. An array rather than a ring buffer: empty, it
    /// costs no allocation, and the bytes held stay under `bodyLimit`, so it stays short.
    @exclusivity(unchecked) private var body: [ByteBuffer] = []
    @exclusivity(unchecked) private(set) var bufferedBodyBytes = 0
    /// How the body ended: nil while it arrives, `SSGI_OK`, or the code reads fail with.
    @exclusivity(unchecked) private var bodyEnd: Int32?
    /// The application's read, while it waits for bytes (one at a time, §10.1).
    @exclusivity(unchecked) private var pendingRead: (maxLength: Int, completion: ReadCompletion)?
    @exclusivity(unchecked) private var isServingReads = false
    /// Write completions waiting for the front-end to take more.
    @exclusivity(unchecked) private var waitingWrites: [WriteCompletion] = []
    /// The client went away: every later read and write fails.
    @exclusivity(unchecked) private var isDisconnected = false
    /// The memory of the last response head, for the next one to reuse (on the event loop).
    @exclusivity(unchecked) private var spareHeadStorage: [UInt8] = []

    init(
        application: LoadedApplication, eventLoop: any EventLoop, allocator: ByteBufferAllocator, bodyLimit: Int,
        heldRequests: HeldRequests, logger: Logger
    ) {
        self.application = application
        self.heldRequests = heldRequests
        self.eventLoop = eventLoop
        self.allocator = allocator
        self.bodyLimit = bodyLimit
        self.logger = logger
    }

    /// Whether a call is with the application.
    var isCalling: Bool { self.current != nil }

    /// Whether the front-end should read more of the body: the application holds less than the
    /// bound, or waits for bytes.
    var wantsBody: Bool { self.bufferedBodyBytes < self.bodyLimit || self.pendingRead != nil }

    /// Hands `request` (laid out in `arena`) to the application as a new call; a request without
    /// a body has it ended already, for the application's reads to see at once.
    func start(_ request: UnsafePointer<ssgi_request>, hasBody: Bool) {
        precondition(self.current == nil, "a call started before the previous one finished")
        let call = CallHandle(delegate: self)
        self.current = call
        self.request = request
        self.isDisconnected = false
        self.body.removeAll()
        self.bufferedBodyBytes = 0
        self.bodyEnd = hasBody ? nil : Int32(SSGI_OK)
        self.heldRequests.add()
        self.application.handle(request, call: call.retainedHandle())
    }

    /// `METHOD target HTTP/x.y` of the last call's request, for the logs.
    var requestLine: String {
        guard let request = self.request?.pointee else { return "-" }
        return "\(request.request_method.string) \(request.request_uri.string) \(request.server_protocol.string)"
    }

    /// REMOTE_ADDR as the application saw it in the last call (the client's, behind a trusted
    /// proxy), for the access log.
    var remoteAddr: String {
        self.request?.pointee.remote_addr.string ?? ""
    }

    // MARK: The request body, from the front-end

    /// Body bytes for the call in flight.
    func bodyReceived(_ chunk: ByteBuffer) {
        guard self.current != nil, self.bodyEnd == nil, chunk.readableBytes > 0 else { return }
        self.body.append(chunk)
        self.bufferedBodyBytes += chunk.readableBytes
        self.serveReads()
    }

    /// The body ended: `SSGI_OK` when whole, else the code the application's reads fail with
    /// once they have the bytes received before the fault. What a read is told depends only on
    /// what the client sent and how the connection ended, never on when the read comes (§10.1).
    func bodyEnded(_ status: Int32 = Int32(SSGI_OK)) {
        guard self.bodyEnd == nil else { return }
        self.bodyEnd = status
        self.serveReads()
    }

    /// The front-end can take more of the response: the writes that waited for it complete.
    func writable() {
        self.completeWaitingWrites(Int32(SSGI_OK))
    }

    /// The client went away: the call learns it from its next operation or callback (§11). Its
    /// reads still get what the body holds and how it ended, if it did (refused earlier, or
    /// whole); a body cut off now fails them with `SSGI_E_DISCONNECTED`.
    func disconnected() {
        self.isDisconnected = true
        self.current?.markDisconnected()
        self.bodyEnded(Int32(SSGI_E_DISCONNECTED))
        self.completeWaitingWrites(Int32(SSGI_E_DISCONNECTED))
    }

    /// Hands buffered bytes to the waiting read, again as long as the application reads inside
    /// its callback; never recursively.
    private func serveReads() {
        guard !self.isServingReads else { return }
        self.isServingReads = true
        defer { self.isServingReads = false }
        var took = false
        while let (maxLength, completion) = self.pendingRead {
            if var chunk = self.body.first {
                self.pendingRead = nil
                let slice: ByteBuffer
                if chunk.readableBytes <= maxLength {
                    slice = self.body.removeFirst()
                } else {
                    slice = chunk.readSlice(length: maxLength)!
                    self.body[0] = chunk
                }
                self.bufferedBodyBytes -= slice.readableBytes
                took = true
                slice.withUnsafeReadableBytes { completion($0) }
            } else if let end = self.bodyEnd {
                self.pendingRead = nil
                completion(status: end)
            } else {
                if !self.isDisconnected { self.frontEnd?.bodyWanted() }
                break
            }
        }
        if took { self.frontEnd?.bodyTaken() }
    }

    private func completeWaitingWrites(_ status: Int32) {
        guard !self.waitingWrites.isEmpty else { return }
        let waiting = self.waitingWrites
        self.waitingWrites.removeAll()
        for completion in waiting {
            completion(status)
        }
    }

    // MARK: The operations (CallDelegate), from the application, on any thread

    func startResponse(
        _ call: CallHandle, status: UnsafeRawBufferPointer, headers: UnsafeBufferPointer<ssgi_header>, replacing: Bool
    ) -> Int32 {
        let onLoop = self.eventLoop.inEventLoop
        let head: ResponseHead
        do throws(ResponseHead.Violation) {
            head = try ResponseHead(
                status: status, headers: headers.lazy.map { ($0.name.buffer, $0.value.buffer) },
                storage: onLoop ? self.takeSpareHeadStorage() : [])
        } catch {
            return error.code
        }
        if let refusal = call.admitStart(replacing: replacing, declaredLength: head.contentLength) { return refusal }
        if onLoop {
            self.responseStarted(head, by: call)
        } else {
            self.onLoop { $0.responseStarted(head, by: call) }
        }
        return Int32(SSGI_OK)
    }

    func write(_ call: CallHandle, _ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?) -> Int32 {
        if let refusal = call.admitWrite(count: bytes.count) { return refusal }
        if self.eventLoop.inEventLoop {
            // The bytes are valid for this call only; the front-end copies them before it returns.
            self.responseBody(bytes, completion: completion, by: call)
        } else {
            let chunk = self.allocator.buffer(bytes: bytes)
            self.onLoop { core in
                chunk.withUnsafeReadableBytes { core.responseBody($0, completion: completion, by: call) }
            }
        }
        return Int32(SSGI_OK)
    }

    func read(_ call: CallHandle, maxLength: Int, completion: ReadCompletion) -> Int32 {
        if let refusal = call.admitRead() { return refusal }
        if self.eventLoop.inEventLoop {
            self.requestBodyRead(maxLength: maxLength, completion: completion, by: call)
        } else {
            self.onLoop { $0.requestBodyRead(maxLength: maxLength, completion: completion, by: call) }
        }
        return Int32(SSGI_OK)
    }

    func finish(_ call: CallHandle, failed: Bool, cleanup: CleanupCallback?) -> Int32 {
        let result = call.admitFinish(failed: failed)
        if result == SSGI_E_FINISHED { return result }
        if self.eventLoop.inEventLoop {
            self.responseFinished(failed: failed, cleanup: cleanup, by: call)
        } else {
            self.onLoop { $0.responseFinished(failed: failed, cleanup: cleanup, by: call) }
        }
        return result
    }

    /// Logs a line for the application (`log_error`), tagged with the peer and the request. The
    /// request is read on the event loop, where the arena is: a line from another thread is
    /// logged there, in order before the call's `finish`.
    func logError(_ call: CallHandle, _ message: UnsafeRawBufferPointer) {
        let text = String(decoding: message, as: UTF8.self)
        if self.eventLoop.inEventLoop {
            self.log(text, by: call)
        } else {
            self.onLoop { $0.log(text, by: call) }
        }
    }

    private func log(_ message: String, by call: CallHandle) {
        var logger = self.logger
        if self.current === call, let request = self.request?.pointee {
            logger[metadataKey: "request"] = "\(request.request_method.string) \(request.request_uri.string)"
        }
        logger.error("\(message)")
    }

    /// The server is done with a finished request: its cleanup, if any, runs now with `status`.
    func release(_ cleanup: CleanupCallback?, status: Int32) {
        cleanup?(status)
        self.heldRequests.remove()
    }

    private func takeSpareHeadStorage() -> [UInt8] {
        var storage: [UInt8] = []
        swap(&storage, &self.spareHeadStorage)
        return storage
    }

    /// Takes back the memory of a response head the front-end is done with, for the next head.
    func recycle(_ head: ResponseHead) {
        self.spareHeadStorage = head.bytes
    }

    /// Runs `work` on the event loop, after what is queued there: for an operation called from
    /// another thread. (On the loop the operations run at once, and allocate no closure.)
    private func onLoop(_ work: @escaping @Sendable (CallCore) -> Void) {
        self.eventLoop.execute { work(self) }
    }

    // MARK: The operations, on the event loop

    private func responseStarted(_ head: ResponseHead, by call: CallHandle) {
        guard self.current === call else { return }
        self.frontEnd?.responseStarted(head)
    }

    private func requestBodyRead(maxLength: Int, completion: ReadCompletion, by call: CallHandle) {
        guard self.current === call else {
            completion(status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        self.pendingRead = (maxLength > 0 ? maxLength : RequestLimits.readLength, completion)
        self.serveReads()
    }

    private func responseBody(_ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?, by call: CallHandle) {
        guard self.current === call, !self.isDisconnected, let frontEnd = self.frontEnd else {
            completion?(Int32(SSGI_E_DISCONNECTED))
            return
        }
        guard !bytes.isEmpty else {
            // An empty write commits nothing and waits for nothing.
            completion?(Int32(SSGI_OK))
            return
        }
        let canTakeMore = frontEnd.responseBody(bytes)
        guard let completion else { return }
        if canTakeMore {
            completion(Int32(SSGI_OK))
        } else {
            self.waitingWrites.append(completion)
        }
    }

    private func responseFinished(failed: Bool, cleanup: CleanupCallback?, by call: CallHandle) {
        guard self.current === call else {
            self.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
            return
        }
        self.current = nil
        // Every read and write completion runs exactly once, before the cleanup (§9.3).
        if let (_, completion) = self.pendingRead {
            self.pendingRead = nil
            completion(status: Int32(SSGI_E_FINISHED))
        }
        self.completeWaitingWrites(Int32(SSGI_OK))
        self.body.removeAll()
        self.bufferedBodyBytes = 0
        if let frontEnd = self.frontEnd {
            frontEnd.responseFinished(failed: failed, cleanup: cleanup)
        } else {
            self.release(cleanup, status: Int32(SSGI_E_DISCONNECTED))
        }
    }
}
