import CSSGI
import Synchronization

/// An SSGI application reached through its C descriptor, callable from Swift as an
/// `AsyncApplication`: how middleware such as the validator wraps an application loaded from a
/// shared library, whatever language it was written in.
///
/// This file plays the server's part of the ABI with the server's own pieces (`RequestArena`,
/// `CallHandle` and its rules, the `ServerOperations` table): it lays the environ out as an
/// `ssgi_request`, and turns the operations back into `startResponse` and body writes. Reads of a
/// body that comes from a server go to that server's own `read` with the application's callback,
/// so that it runs on the I/O thread as SPEC §12 promises. With the rest of `ABI/`, it is where
/// the SDK touches C pointers.
public struct ForeignApplication: @unchecked Sendable {
    private let descriptor: UnsafePointer<ssgi_app>

    /// Wraps the descriptor an entry point returned; it must live as long as the process.
    public init(descriptor: UnsafeRawPointer) {
        self.descriptor = descriptor.assumingMemoryBound(to: ssgi_app.self)
    }

    /// Sends what foreign applications log without a request (`log_error` with a NULL call: at
    /// `finish`'s return, from background work) to `errors`; until then it goes to standard error.
    public static func logMessagesWithoutRequest(to errors: ErrorStream) {
        ServerOperations.logWithoutCall = { errors.write($0) }
    }

    /// The application as an `AsyncApplication`.
    public var application: AsyncApplication {
        { environ, startResponse in
            try await ForeignCall(environ: environ).run(self.descriptor, startResponse: startResponse)
        }
    }
}

/// One request to a foreign application: the C request it reads and the events its operations send.
private final class ForeignCall: CallDelegate, @unchecked Sendable {
    enum Event: Sendable {
        case start(status: String, headers: [HTTPHeader], hasErrorInfo: Bool)
        case write([UInt8], WriteCompletion?)
        case finish(failed: Bool)
    }

    let environ: Environ
    private let arena = RequestArena()
    private let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation
    /// Consumed by one task at a time: first `run`, then the body it returns.
    private var iterator: AsyncStream<Event>.Iterator
    /// The cleanup the application gave to finish.
    private let cleanup = Mutex<CleanupCallback?>(nil)

    init(environ: Environ) {
        self.environ = environ
        (self.events, self.sink) = AsyncStream.makeStream(of: Event.self)
        self.iterator = self.events.makeAsyncIterator()
    }

    func run(_ descriptor: UnsafePointer<ssgi_app>, startResponse: StartResponse) async throws -> ResponseBody {
        let request = self.arena.fill(self.environ)
        let handle = CallHandle(delegate: self).retainedHandle()
        descriptor.pointee.handle(descriptor.pointee.context, request, handle, ServerOperations.table)
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
            self.cleanup.withLock { $0 }?(delivered ? Int32(SSGI_OK) : Int32(SSGI_E_DISCONNECTED))
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
    func startResponse(
        _ call: CallHandle, status: UnsafeRawBufferPointer, headers: UnsafeBufferPointer<ssgi_header>, replacing: Bool
    ) -> Int32 {
        let statusText = String(decoding: status, as: UTF8.self)
        let fields = headers.map { (name: $0.name.string, value: $0.value.string) }
        let violation = ResponseHeadViolation.find(status: statusText, headers: fields)
        let result =
            call.admitStart(replacing: replacing, declaredLength: nil, violation: violation?.code) ?? Int32(SSGI_OK)
        if result != SSGI_E_FINISHED {
            self.sink.yield(.start(status: statusText, headers: fields, hasErrorInfo: replacing))
        }
        return result
    }

    func write(_ call: CallHandle, _ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?) -> Int32 {
        if let refusal = call.admitWrite(count: bytes.count) { return refusal }
        self.sink.yield(.write(Array(bytes), completion))
        return Int32(SSGI_OK)
    }

    func read(_ call: CallHandle, maxLength: Int, completion: ReadCompletion) -> Int32 {
        if let refusal = call.admitRead() { return refusal }
        let input = self.environ.input
        // A body from the server is read with the server's own `read` and the application's
        // callback, which then runs where SPEC §12 says: on the I/O thread, before `read` returns
        // only when it was called there.
        if let server = input.serverCall {
            return server.read(maxLength: maxLength, forwardingTo: completion.function, context: completion.context)
        }
        // A body in memory (no server): delivered at once.
        let chunk = (try? input.read(maxLength: maxLength > 0 ? maxLength : RequestInput.defaultChunkSize)) ?? []
        chunk.withUnsafeBytes { completion($0) }
        return Int32(SSGI_OK)
    }

    /// Ends the request, as a server's `finish` does: an OK outcome without a started response
    /// returns `SSGI_E_NOT_STARTED` and still ends it (§9.1).
    func finish(_ call: CallHandle, failed: Bool, cleanup: CleanupCallback?) -> Int32 {
        let result = call.admitFinish(failed: failed)
        if result == SSGI_E_FINISHED { return result }
        self.cleanup.withLock { $0 = cleanup }
        self.sink.yield(.finish(failed: failed))
        self.sink.finish()
        return result
    }

    func logError(_ call: CallHandle, _ message: UnsafeRawBufferPointer) {
        self.environ.errors.write(String(decoding: message, as: UTF8.self))
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

extension RequestArena {
    /// Lays `environ` out as an `ssgi_request`, as a server would for the request it describes.
    fileprivate func fill(_ environ: Environ) -> UnsafePointer<ssgi_request> {
        let values = [
            environ.requestMethod, environ.scriptName, environ.pathInfo, environ.queryString, environ.contentType,
            environ.contentLengthValue, environ.serverName, environ.serverPort, environ.serverProtocol,
            environ.remoteAddr, environ.remotePort, environ.urlScheme, environ.requestURI, environ.tlsClientSubject,
        ]
        let byteCount = environ.headers.reduce(values.reduce(0) { $0 + $1.utf8.count }) {
            $0 + $1.name.utf8.count + $1.value.utf8.count
        }
        var flags: UInt32 = 0
        if environ.multithread { flags |= UInt32(SSGI_FLAG_MULTITHREAD) }
        if environ.multiprocess { flags |= UInt32(SSGI_FLAG_MULTIPROCESS) }
        if environ.runOnce { flags |= UInt32(SSGI_FLAG_RUN_ONCE) }
        return self.fill(headerCount: environ.headers.count, byteCount: byteCount) { writer in
            for header in environ.headers {
                var name = header.name
                var value = header.value
                name.withUTF8 { name in
                    value.withUTF8 {
                        writer.appendHeader(name: UnsafeRawBufferPointer(name), value: UnsafeRawBufferPointer($0))
                    }
                }
            }
            let cValues = values.map { writer.append($0.utf8) }
            return ssgi_request(
                struct_size: MemoryLayout<ssgi_request>.size,
                request_method: cValues[0], script_name: cValues[1], path_info: cValues[2], query_string: cValues[3],
                content_type: cValues[4], content_length: cValues[5], server_name: cValues[6],
                server_port: cValues[7], server_protocol: cValues[8], remote_addr: cValues[9],
                remote_port: cValues[10], url_scheme: cValues[11], request_uri: cValues[12],
                headers: writer.headers, header_count: writer.headerCount,
                body_length: environ.contentLength.map(Int64.init)
                    ?? (environ.header("transfer-encoding") == nil ? 0 : -1),
                flags: flags, tls_client_subject: cValues[13])
        }
    }
}
