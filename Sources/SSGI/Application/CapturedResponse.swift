import Synchronization

/// What an application answered when called in-process, without a server: for framework tests
/// and for middleware that calls the application it wraps.
public struct CapturedResponse: Sendable {
    /// The status line given to `startResponse`, such as `200 OK`.
    public var status: String
    /// The headers given to `startResponse`.
    public var headers: [HTTPHeader]
    /// The whole body: bytes written through `startResponse`'s writer, then the returned body.
    public var body: [UInt8]

    /// The numeric status, or 0 when the status does not start with three digits.
    public var statusCode: Int { Int(self.status.prefix(3)) ?? 0 }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: self.body, as: UTF8.self) }

    /// The first value of the header `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// Calls `application` with `environ` in this process and collects its response, running a
/// streamed body to its end and its cleanup afterwards.
///
/// Throws what the application throws, or an `SSGIError` when it never called `startResponse`.
public func callApplication(_ application: AsyncApplication, _ environ: Environ) async throws -> CapturedResponse {
    let collector = ResponseCollector()
    let writer = ResponseWriter(
        write: { collector.append($0) },
        writeBlocking: { collector.append($0) })
    let startResponse = StartResponse { status, headers, _ in
        collector.start(status: status, headers: headers)
        return writer
    }
    let body = try await application(environ, startResponse)
    do {
        switch body.storage {
        case .chunks(let chunks):
            for chunk in chunks { collector.append(chunk.bytes) }
        case .stream(let produce):
            try await produce(writer)
        }
    } catch {
        body.cleanup?(false)
        throw error
    }
    body.cleanup?(true)
    guard let response = collector.response else {
        throw SSGIError(code: -6, "the application did not call start_response")
    }
    return response
}

/// Calls a synchronous application in this process and collects its response.
public func callApplication(_ application: @escaping SyncApplication, _ environ: Environ) async throws
    -> CapturedResponse
{
    let asynchronous: AsyncApplication = { try application($0, $1) }
    return try await callApplication(asynchronous, environ)
}

/// Gathers what an application sends, from whichever thread it sends it.
private final class ResponseCollector: Sendable {
    private let state = Mutex<(started: (String, [HTTPHeader])?, body: [UInt8])>((nil, []))

    func start(status: String, headers: [HTTPHeader]) {
        self.state.withLock { $0.started = (status, headers) }
    }

    func append(_ bytes: [UInt8]) {
        self.state.withLock { $0.body += bytes }
    }

    var response: CapturedResponse? {
        self.state.withLock { state in
            state.started.map { CapturedResponse(status: $0.0, headers: $0.1, body: state.body) }
        }
    }
}
