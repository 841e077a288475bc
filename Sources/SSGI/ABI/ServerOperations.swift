import CSSGI

import Glibc

/// The server's side of the C boundary: the one `ssgi_server_ops` table every server side of
/// the ABI hands to applications (swiftserve's, and the SDK's bridge to foreign applications).
/// Each operation finds its `CallHandle` from the handle and passes the call on to the handle's
/// delegate; `finish`, once admitted, drops the handle's reference to itself.
package enum ServerOperations {
    /// The table, allocated once; applications may keep the pointer for the life of the process.
    nonisolated(unsafe) package static let table: UnsafePointer<ssgi_server_ops> = {
        let table = UnsafeMutablePointer<ssgi_server_ops>.allocate(capacity: 1)
        table.initialize(
            to: ssgi_server_ops(
                struct_size: MemoryLayout<ssgi_server_ops>.size,
                start_response: startResponse,
                write: write,
                read: read,
                finish: finish,
                log_error: logError))
        return UnsafePointer(table)
    }()

    /// Where `log_error` without a call goes: standard error, until the server sets it to its log
    /// (or `ForeignApplication.logMessagesWithoutRequest(to:)` elsewhere).
    nonisolated(unsafe) package static var logWithoutCall: @Sendable (String) -> Void = { message in
        var line = message + "\n"
        line.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    fileprivate static func call(_ handle: OpaquePointer?) -> CallHandle {
        Unmanaged<CallHandle>.fromOpaque(UnsafeRawPointer(handle!)).takeUnretainedValue()
    }
}

/// An application's write-completion callback.
package struct WriteCompletion: @unchecked Sendable {
    let function: ssgi_write_done
    let context: UnsafeMutableRawPointer?

    package func callAsFunction(_ status: Int32) {
        self.function(self.context, status)
    }
}

/// An application's read callback.
package struct ReadCompletion: @unchecked Sendable {
    let function: ssgi_read_done
    let context: UnsafeMutableRawPointer?

    /// Hands `bytes` (valid only during the call) to the application.
    package func callAsFunction(_ bytes: UnsafeRawBufferPointer) {
        let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        self.function(self.context, ssgi_bytes(data: start, length: bytes.count), Int32(SSGI_OK))
    }

    /// Tells the application the body ended (`SSGI_OK`) or failed.
    package func callAsFunction(status: Int32) {
        self.function(self.context, ssgi_bytes(data: nil, length: 0), status)
    }
}

/// An application's cleanup callback.
package struct CleanupCallback: @unchecked Sendable {
    let function: ssgi_cleanup
    let context: UnsafeMutableRawPointer?

    package func callAsFunction(_ status: Int32) {
        self.function(self.context, status)
    }
}

extension ssgi_bytes {
    /// The bytes as a buffer, valid as long as the `ssgi_bytes` is.
    package var buffer: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: self.data, count: self.data == nil ? 0 : self.length)
    }
}

private let startResponse:
    @convention(c) (OpaquePointer?, ssgi_bytes, UnsafePointer<ssgi_header>?, Int, Int32) -> Int32 = {
        handle, status, headers, count, hasErrorInfo in
        let call = ServerOperations.call(handle)
        return call.delegate.startResponse(
            call, status: status.buffer,
            headers: UnsafeBufferPointer(start: headers, count: headers == nil ? 0 : count),
            replacing: hasErrorInfo != 0)
    }

private let write: @convention(c) (OpaquePointer?, ssgi_bytes, ssgi_write_done?, UnsafeMutableRawPointer?) -> Int32 = {
    handle, bytes, done, context in
    let call = ServerOperations.call(handle)
    return call.delegate.write(
        call, bytes.buffer, completion: done.map { WriteCompletion(function: $0, context: context) })
}

private let read: @convention(c) (OpaquePointer?, Int, ssgi_read_done?, UnsafeMutableRawPointer?) -> Int32 = {
    handle, maxLength, done, context in
    guard let done else { return Int32(SSGI_E_BAD_BODY) }
    let call = ServerOperations.call(handle)
    return call.delegate.read(call, maxLength: maxLength, completion: ReadCompletion(function: done, context: context))
}

private let finish: @convention(c) (OpaquePointer?, Int32, ssgi_cleanup?, UnsafeMutableRawPointer?) -> Int32 = {
    handle, outcome, cleanup, context in
    let unmanaged = Unmanaged<CallHandle>.fromOpaque(UnsafeRawPointer(handle!))
    let call = unmanaged.takeUnretainedValue()
    let status = call.delegate.finish(
        call, failed: outcome != Int32(SSGI_FINISH_OK),
        cleanup: cleanup.map { CleanupCallback(function: $0, context: context) })
    // Every finish but a second one ends the request and releases its handle.
    if status != SSGI_E_FINISHED {
        unmanaged.release()
    }
    return status
}

private let logError: @convention(c) (OpaquePointer?, ssgi_bytes) -> Void = { handle, message in
    if let handle {
        let call = ServerOperations.call(handle)
        call.delegate.logError(call, message.buffer)
    } else {
        ServerOperations.logWithoutCall(String(decoding: message.buffer, as: UTF8.self))
    }
}
