import CSSGI
import Synchronization

/// The SDK's record of one request in flight: whether the response started and what went wrong,
/// so that a refused `startResponse` fails the request with the server's reason.
final class RequestState: @unchecked Sendable {
    let call: ServerCall
    let applicationName: String
    /// The request's method and target, for error messages.
    var method = ""
    var target = ""
    private(set) var started = false
    private(set) var failure: SSGIError?
    /// Whether `finish` was called: from then on the handle is invalid and messages go without it.
    private let finished = Mutex(false)

    init(call: ServerCall, applicationName: String) {
        self.call = call
        self.applicationName = applicationName
    }

    /// Ends the call with the server.
    private func finishCall(failed: Bool, cleanup: (@Sendable (Bool) -> Void)?) {
        self.finished.withLock { $0 = true }
        self.call.finish(failed: failed, cleanup: cleanup)
    }

    /// Writes to the server's error log, with the request's handle while it is valid; the lock
    /// keeps `finish` from invalidating the handle while a message is being handed over.
    func logError(_ message: String) {
        self.finished.withLock { finished in
            self.call.logError(message, finished: finished)
        }
    }

    func startResponse(status: String, headers: [HTTPHeader], hasErrorInfo: Bool) {
        let code = self.call.startResponse(status: status, headers: headers, hasErrorInfo: hasErrorInfo)
        if code == SSGI_OK {
            self.started = true
        } else if self.failure == nil {
            // The code says which kind of rule was broken; the arguments say which rule.
            let violation = ResponseHeadViolation.find(status: status, headers: headers).flatMap {
                $0.code == code ? $0 : nil
            }
            self.failure = SSGIError(
                code: code, "start_response(\"\(status)\") was refused: \(violation?.description ?? Self.reason(code))")
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        try self.checkStarted()
        guard !bytes.isEmpty else { return }
        try self.check(await self.call.write(bytes), writing: bytes.count)
    }

    func writeBlocking(_ bytes: [UInt8]) throws {
        try self.checkStarted()
        guard !bytes.isEmpty else { return }
        let code = self.call.mayBlock ? self.call.writeBlocking(bytes) : self.call.write(bytes)
        try self.check(code, writing: bytes.count)
    }

    /// Throws the recorded failure, or an error when the application never called `startResponse`.
    func checkStarted() throws {
        if let failure = self.failure { throw failure }
        guard self.started else {
            throw SSGIError(code: Int32(SSGI_E_NOT_STARTED), "the application did not call start_response")
        }
    }

    /// Sends an in-memory body and finishes the request.
    func finish(sending chunks: [BodyChunk], cleanup: (@Sendable (Bool) -> Void)?) {
        do {
            try self.checkStarted()
            for chunk in chunks where chunk.count > 0 {
                try self.check(self.call.write(chunk), writing: chunk.count)
            }
            self.finishCall(failed: false, cleanup: cleanup)
        } catch {
            self.fail(error, cleanup: cleanup)
        }
    }

    /// Runs a streaming body to its end and finishes the request.
    func finish(
        streaming produce: @Sendable (ResponseWriter) async throws -> Void, cleanup: (@Sendable (Bool) -> Void)?
    )
        async
    {
        do {
            try self.checkStarted()
            try await produce(ResponseWriter(state: self))
            self.finishCall(failed: false, cleanup: cleanup)
        } catch {
            self.fail(error, cleanup: cleanup)
        }
    }

    /// Logs why the application failed and finishes the request as failed.
    func fail(_ error: any Error, cleanup: (@Sendable (Bool) -> Void)?) {
        if (error as? SSGIError) != .disconnected {
            self.logError("application '\(self.applicationName)' failed on \(self.method) \(self.target): \(error)")
        }
        self.finishCall(failed: true, cleanup: cleanup)
    }

    private func check(_ code: Int32, writing count: Int) throws {
        guard code == SSGI_OK else {
            if code == SSGI_E_DISCONNECTED { throw SSGIError.disconnected }
            throw SSGIError(code: code, "writing \(count) body bytes was refused: \(Self.reason(code))")
        }
    }

    static func reason(_ code: Int32) -> String {
        switch Int(code) {
        case SSGI_E_ALREADY_STARTED: "start_response was already called (call it again only with errorInfo)"
        case SSGI_E_HEADERS_SENT: "the headers were already sent"
        case SSGI_E_INVALID_STATUS: "the status must be \"NNN Reason\""
        case SSGI_E_INVALID_HEADER:
            "a header name is not a token, a value holds a control character, or a Content-Length is malformed, conflicting or not allowed"
        case SSGI_E_HOP_BY_HOP: "hop-by-hop headers (Connection, Transfer-Encoding, ...) belong to the server"
        case SSGI_E_NOT_STARTED: "start_response was not called"
        case SSGI_E_FINISHED: "the request was already finished"
        case SSGI_E_DISCONNECTED: "the client disconnected"
        case SSGI_E_BAD_BODY: "the request body was malformed or cut short"
        case SSGI_E_TOO_MUCH_BODY: "more body bytes than the declared Content-Length"
        default: "result code \(code)"
        }
    }
}
