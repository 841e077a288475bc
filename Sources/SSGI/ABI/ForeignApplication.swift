import CSSGI
import Synchronization

/// An SSGI application reached through its C descriptor, callable from Swift as an
/// `AsyncApplication`: how middleware such as the validator wraps an application loaded from a
/// shared library, whatever language it was written in.
///
/// This file plays the server's part of the ABI with the server's own pieces (`RequestArena`,
/// `CallHandle` and its rules, the `ServerOperations` table): it lays the environ out as an
/// `ssgi_request`, and turns the operations back into `startResponse`, body writes and
/// `ssgi.input` reads. With the rest of `ABI/`, it is where the SDK touches C pointers.
public struct ForeignApplication: @unchecked Sendable {
    private let descriptor: UnsafePointer<ssgi_app>

    /// Wraps the descriptor an entry point returned; it must live as long as the process.
    public init(descriptor: UnsafeRawPointer) {
        self.descriptor = descriptor.assumingMemoryBound(to: ssgi_app.self)
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

    func startResponse(
        _ call: CallHandle, status: UnsafeRawBufferPointer, headers: UnsafeBufferPointer<ssgi_header>, replacing: Bool
    ) -> Int32 {
        // The SDK checks the head it relays, and the validator around it reports what is wrong.
        if let refusal = call.admitStart(replacing: replacing, declaredLength: nil) { return refusal }
        let fields = headers.map { (name: $0.name.string, value: $0.value.string) }
        self.sink.yield(
            .start(status: String(decoding: status, as: UTF8.self), headers: fields, hasErrorInfo: replacing))
        return Int32(SSGI_OK)
    }

    func write(_ call: CallHandle, _ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?) -> Int32 {
        if let refusal = call.admitWrite(count: bytes.count) { return refusal }
        self.sink.yield(.write(Array(bytes), completion))
        return Int32(SSGI_OK)
    }

    func read(_ call: CallHandle, maxLength: Int, completion: ReadCompletion) -> Int32 {
        if let refusal = call.admitRead() { return refusal }
        let input = self.environ.input
        Task {
            do {
                let chunk = try await input.read(maxLength: maxLength > 0 ? maxLength : RequestInput.defaultChunkSize)
                chunk.withUnsafeBytes { completion($0) }
            } catch {
                completion(status: (error as? SSGIError)?.code ?? Int32(SSGI_E_BAD_BODY))
            }
        }
        return Int32(SSGI_OK)
    }

    func finish(_ call: CallHandle, failed: Bool, cleanup: CleanupCallback?) -> Int32 {
        if let refusal = call.admitFinish() { return refusal }
        self.cleanup.withLock { $0 = cleanup }
        self.sink.yield(.finish(failed: failed))
        self.sink.finish()
        return Int32(SSGI_OK)
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
            environ.remoteAddr, environ.remotePort, environ.urlScheme, environ.requestURI,
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
                flags: flags)
        }
    }
}
