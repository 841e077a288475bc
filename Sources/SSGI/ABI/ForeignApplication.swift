import CSSGI
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An SSGI application reached through its C descriptor, callable from Swift as an
/// `AsyncApplication`: how middleware such as the validator wraps an application loaded from a
/// shared library, whatever language it was written in.
///
/// This file plays the server's part of the ABI: it lays the environ out as an `ssgi_request`,
/// hands the application an operations table, and turns the operations back into `startResponse`
/// and body writes. Reads go to the server's own `read` with the application's callback, so that
/// it runs on the I/O thread as SPEC §12 promises. With `ServerCall.swift` and `ApplicationDescriptor.swift`,
/// it is where the SDK touches C pointers.
public struct ForeignApplication: @unchecked Sendable {
    private let descriptor: UnsafePointer<ssgi_app>

    /// Wraps the descriptor an entry point returned; it must live as long as the process.
    public init(descriptor: UnsafeRawPointer) {
        self.descriptor = descriptor.assumingMemoryBound(to: ssgi_app.self)
    }

    /// Sends what foreign applications log without a request (`log_error` with a NULL call: at
    /// `finish`'s return, from background work) to `errors`; until then it goes to standard error.
    public static func logMessagesWithoutRequest(to errors: ErrorStream) {
        messagesWithoutRequest.withLock { $0 = errors }
    }

    /// The application as an `AsyncApplication`.
    public var application: AsyncApplication {
        { environ, startResponse in
            try await ForeignCall(environ: environ).run(self.descriptor, startResponse: startResponse)
        }
    }
}

/// One request to a foreign application: the C request it reads and the events its operations send.
private final class ForeignCall: @unchecked Sendable {
    enum Event: Sendable {
        case start(status: String, headers: [HTTPHeader], hasErrorInfo: Bool)
        case write([UInt8], ForeignCompletion?)
        case finish(failed: Bool)
    }

    let environ: Environ
    private let request: ForeignRequest
    private let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation
    /// Consumed by one task at a time: first `run`, then the body it returns.
    private var iterator: AsyncStream<Event>.Iterator
    /// What the application has done, as its operations report it: the state the rules of
    /// docs/SPEC.md §7-§9 are checked against, so that each operation returns what a server's would.
    private struct State {
        var started = false
        /// A non-empty write or finish came: the head can no longer be replaced (§7.4).
        var committed = false
        var finished = false
        var cleanup: ForeignCleanup?
    }

    private let state = Mutex(State())

    init(environ: Environ) {
        self.environ = environ
        self.request = ForeignRequest(environ)
        (self.events, self.sink) = AsyncStream.makeStream(of: Event.self)
        self.iterator = self.events.makeAsyncIterator()
    }

    func run(_ descriptor: UnsafePointer<ssgi_app>, startResponse: StartResponse) async throws -> ResponseBody {
        let handle = OpaquePointer(Unmanaged.passRetained(self).toOpaque())
        descriptor.pointee.handle(descriptor.pointee.context, self.request.pointer, handle, ForeignOperations.table)
        switch await self.iterator.next() {
        case .start(let status, let headers, let hasErrorInfo):
            startResponse(status, headers, errorInfo: hasErrorInfo ? ForeignApplicationError.reportedError : nil)
        case .finish(let failed):
            throw failed ? ForeignApplicationError.failed : ForeignApplicationError.finishedWithoutStart
        case .write, nil:
            throw ForeignApplicationError.finishedWithoutStart
        }
        return ResponseBody.stream { writer in
            try await self.relay(to: writer, startResponse: startResponse)
        }.onCleanup { delivered in
            self.state.withLock { $0.cleanup }?(delivered ? Int32(SSGI_OK) : Int32(SSGI_E_DISCONNECTED))
        }
    }

    /// Forwards the application's writes until it finishes.
    private func relay(to writer: ResponseWriter, startResponse: StartResponse) async throws {
        while let event = await self.iterator.next() {
            switch event {
            case .start(let status, let headers, let hasErrorInfo):
                startResponse(status, headers, errorInfo: hasErrorInfo ? ForeignApplicationError.reportedError : nil)
            case .write(let bytes, let completion):
                do {
                    try await writer.write(bytes)
                    completion?(Int32(SSGI_OK))
                } catch {
                    completion?(Int32(SSGI_E_DISCONNECTED))
                    throw error
                }
            case .finish(let failed):
                if failed { throw ForeignApplicationError.failed }
                return
            }
        }
    }

    // The operations, called by the foreign application from any thread.

    /// Returns what a server returns for the call. A refused call changes nothing here, but it is
    /// passed on all the same, so that a validator above names the rule it broke.
    func startResponse(status: String, headers: [HTTPHeader], hasErrorInfo: Bool) -> Int32 {
        let violation = ResponseHeadViolation.find(status: status, headers: headers)
        let result: Int32 = self.state.withLock { state in
            if state.finished { return Int32(SSGI_E_FINISHED) }
            if let violation { return violation.code }
            if state.started {
                if !hasErrorInfo { return Int32(SSGI_E_ALREADY_STARTED) }
                if state.committed { return Int32(SSGI_E_HEADERS_SENT) }
            }
            state.started = true
            return Int32(SSGI_OK)
        }
        if result != SSGI_E_FINISHED {
            self.sink.yield(.start(status: status, headers: headers, hasErrorInfo: hasErrorInfo))
        }
        return result
    }

    func write(_ bytes: [UInt8], completion: ForeignCompletion?) -> Int32 {
        let refusal: Int32? = self.state.withLock { state in
            if state.finished { return Int32(SSGI_E_FINISHED) }
            if !state.started { return Int32(SSGI_E_NOT_STARTED) }
            if !bytes.isEmpty { state.committed = true }
            return nil
        }
        if let refusal { return refusal }
        self.sink.yield(.write(bytes, completion))
        return Int32(SSGI_OK)
    }

    /// Ends the request, as a server's `finish` does: an OK outcome without a started response
    /// returns `SSGI_E_NOT_STARTED` and still ends it (§9.1).
    func finish(failed: Bool, cleanup: ForeignCleanup?) -> Int32 {
        let result: Int32 = self.state.withLock { state in
            if state.finished { return Int32(SSGI_E_FINISHED) }
            state.finished = true
            state.committed = true
            state.cleanup = cleanup
            return failed || state.started ? Int32(SSGI_OK) : Int32(SSGI_E_NOT_STARTED)
        }
        if result == SSGI_E_FINISHED { return result }
        self.sink.yield(.finish(failed: failed))
        self.sink.finish()
        return result
    }
}

/// Why a foreign application's request failed.
enum ForeignApplicationError: Error, CustomStringConvertible {
    case failed
    case finishedWithoutStart
    /// Stands for the error information a foreign application passed to start_response.
    case reportedError

    var description: String {
        switch self {
        case .failed: "the application finished the request as failed (its own error is logged above)"
        case .finishedWithoutStart: "the application finished without calling start_response"
        case .reportedError: "the application reported an error while replacing its response"
        }
    }
}

/// A foreign application's write-completion callback.
private struct ForeignCompletion: @unchecked Sendable {
    let function: ssgi_write_done
    let context: UnsafeMutableRawPointer?

    func callAsFunction(_ status: Int32) { self.function(self.context, status) }
}

/// A foreign application's cleanup callback.
private struct ForeignCleanup: @unchecked Sendable {
    let function: ssgi_cleanup
    let context: UnsafeMutableRawPointer?

    func callAsFunction(_ status: Int32) { self.function(self.context, status) }
}

/// The environ laid out as an `ssgi_request` in one allocation, freed with the call.
private final class ForeignRequest {
    private let storage: UnsafeMutableRawPointer
    let pointer: UnsafePointer<ssgi_request>

    init(_ environ: Environ) {
        let fields = [
            environ.requestMethod, environ.scriptName, environ.pathInfo, environ.queryString, environ.contentType,
            environ.contentLengthValue, environ.serverName, environ.serverPort, environ.serverProtocol,
            environ.remoteAddr, environ.remotePort, environ.urlScheme, environ.requestURI,
        ]
        let headerBytes = environ.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        let headersOffset = MemoryLayout<ssgi_request>.stride
        let bytesOffset = headersOffset + environ.headers.count * MemoryLayout<ssgi_header>.stride
        let byteCount = fields.reduce(headerBytes) { $0 + $1.utf8.count }
        self.storage = UnsafeMutableRawPointer.allocate(
            byteCount: bytesOffset + byteCount, alignment: MemoryLayout<ssgi_request>.alignment)
        var cursor = self.storage + bytesOffset
        func append(_ text: String) -> ssgi_bytes {
            let start = cursor.assumingMemoryBound(to: UInt8.self)
            let count = text.utf8.count
            UnsafeMutableRawBufferPointer(start: cursor, count: count).copyBytes(from: text.utf8)
            cursor += count
            return ssgi_bytes(data: start, length: count)
        }
        let headers = (self.storage + headersOffset).bindMemory(to: ssgi_header.self, capacity: environ.headers.count)
        for (index, header) in environ.headers.enumerated() {
            (headers + index).initialize(to: ssgi_header(name: append(header.name), value: append(header.value)))
        }
        let cFields = fields.map(append)
        var flags: UInt32 = 0
        if environ.multithread { flags |= UInt32(SSGI_FLAG_MULTITHREAD) }
        if environ.multiprocess { flags |= UInt32(SSGI_FLAG_MULTIPROCESS) }
        if environ.runOnce { flags |= UInt32(SSGI_FLAG_RUN_ONCE) }
        let request = self.storage.bindMemory(to: ssgi_request.self, capacity: 1)
        request.initialize(
            to: ssgi_request(
                struct_size: MemoryLayout<ssgi_request>.size,
                request_method: cFields[0], script_name: cFields[1], path_info: cFields[2], query_string: cFields[3],
                content_type: cFields[4], content_length: cFields[5], server_name: cFields[6],
                server_port: cFields[7], server_protocol: cFields[8], remote_addr: cFields[9],
                remote_port: cFields[10], url_scheme: cFields[11], request_uri: cFields[12],
                headers: environ.headers.isEmpty ? nil : UnsafePointer(headers), header_count: environ.headers.count,
                body_length: environ.contentLength.map(Int64.init)
                    ?? (environ.header("transfer-encoding") == nil ? 0 : -1),
                flags: flags))
        self.pointer = UnsafePointer(request)
    }

    deinit {
        self.storage.deallocate()
    }
}

/// Where `log_error` with a NULL call goes (`ForeignApplication.logMessagesWithoutRequest(to:)`).
private let messagesWithoutRequest = Mutex<ErrorStream?>(nil)

/// The operations table handed to foreign applications.
private enum ForeignOperations {
    nonisolated(unsafe) static let table: UnsafePointer<ssgi_server_ops> = {
        let table = UnsafeMutablePointer<ssgi_server_ops>.allocate(capacity: 1)
        table.initialize(
            to: ssgi_server_ops(
                struct_size: MemoryLayout<ssgi_server_ops>.size,
                start_response: { handle, status, headers, count, hasErrorInfo in
                    let fields = (0..<(headers == nil ? 0 : count)).map { index in
                        (name: headers![index].name.string, value: headers![index].value.string)
                    }
                    return call(handle).startResponse(
                        status: status.string, headers: fields, hasErrorInfo: hasErrorInfo != 0)
                },
                write: { handle, bytes, done, context in
                    let copy = bytes.data.map { Array(UnsafeBufferPointer(start: $0, count: bytes.length)) } ?? []
                    return call(handle).write(
                        copy, completion: done.map { ForeignCompletion(function: $0, context: context) })
                },
                read: { handle, maxLength, done, context in
                    guard let done else { return Int32(SSGI_E_BAD_BODY) }
                    let input = call(handle).environ.input
                    // A body from the server is read with the server's own `read` and the
                    // application's callback, which then runs where SPEC §12 says: on the I/O
                    // thread, before `read` returns only when it was called there.
                    if let server = input.serverCall {
                        return server.read(maxLength: maxLength, forwardingTo: done, context: context)
                    }
                    // A body in memory (no server): delivered at once.
                    let chunk =
                        (try? input.read(maxLength: maxLength > 0 ? maxLength : RequestInput.defaultChunkSize)) ?? []
                    chunk.withUnsafeBufferPointer { done(context, ssgi_bytes($0), Int32(SSGI_OK)) }
                    return Int32(SSGI_OK)
                },
                finish: { handle, outcome, cleanup, context in
                    let unmanaged = Unmanaged<ForeignCall>.fromOpaque(UnsafeRawPointer(handle!))
                    let status = unmanaged.takeUnretainedValue().finish(
                        failed: outcome != Int32(SSGI_FINISH_OK),
                        cleanup: cleanup.map { ForeignCleanup(function: $0, context: context) })
                    // Every finish but a second one ends the request and releases its handle.
                    if status != SSGI_E_FINISHED { unmanaged.release() }
                    return status
                },
                log_error: { handle, message in
                    if let handle {
                        call(handle).environ.errors.write(message.string)
                    } else if let errors = messagesWithoutRequest.withLock({ $0 }) {
                        errors.write(message.string)
                    } else {
                        var line = message.string + "\n"
                        line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
                    }
                }))
        return UnsafePointer(table)
    }()

    static func call(_ handle: OpaquePointer?) -> ForeignCall {
        Unmanaged<ForeignCall>.fromOpaque(UnsafeRawPointer(handle!)).takeUnretainedValue()
    }
}
