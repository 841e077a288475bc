import CSSGI
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The server's side of the C boundary: the `ssgi_server_ops` table handed to applications, and
/// the wrappers that call an application's C callbacks.
///
/// With `RequestArena.swift`, `LoadedApplication.swift` and `ApplicationLoader.swift`, this is
/// where the server touches C pointers; everything else works on Swift values.
enum ServerOperations {
    /// The table, allocated once; applications may keep the pointer for the life of the process.
    nonisolated(unsafe) static let table: UnsafePointer<ssgi_server_ops> = {
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

    /// Where `log_error` with no request goes.
    static let applicationLogger = NIOLockedValueBox(Logger(label: "swiftserve.app"))

    /// The call handle the application receives for `call`, holding a reference until `finish`.
    static func retainedHandle(_ call: RequestCall) -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(call).toOpaque())
    }

    fileprivate static func call(_ handle: OpaquePointer?) -> RequestCall {
        Unmanaged<RequestCall>.fromOpaque(UnsafeRawPointer(handle!)).takeUnretainedValue()
    }
}

/// An application's write-completion callback.
struct WriteCompletion: @unchecked Sendable {
    let function: ssgi_write_done
    let context: UnsafeMutableRawPointer?

    func callAsFunction(_ status: Int32) {
        self.function(self.context, status)
    }
}

/// An application's read callback.
struct ReadCompletion: @unchecked Sendable {
    let function: ssgi_read_done
    let context: UnsafeMutableRawPointer?

    /// Hands `bytes` (valid only during the call) to the application.
    func callAsFunction(_ bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { raw in
            let start = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            self.function(self.context, ssgi_bytes(data: start, length: raw.count), Int32(SSGI_OK))
        }
    }

    /// Tells the application the body ended (`SSGI_OK`) or failed.
    func callAsFunction(status: Int32) {
        self.function(self.context, ssgi_bytes(data: nil, length: 0), status)
    }
}

/// An application's cleanup callback.
struct CleanupCallback: @unchecked Sendable {
    let function: ssgi_cleanup
    let context: UnsafeMutableRawPointer?

    func callAsFunction(_ status: Int32) {
        self.function(self.context, status)
    }
}

private func bytes(_ value: ssgi_bytes) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: value.data, count: value.data == nil ? 0 : value.length)
}

private let startResponse:
    @convention(c) (OpaquePointer?, ssgi_bytes, UnsafePointer<ssgi_header>?, Int, Int32) -> Int32 = {
        handle, status, headers, count, hasErrorInfo in
        let call = ServerOperations.call(handle)
        let fields = UnsafeBufferPointer(start: headers, count: headers == nil ? 0 : count).lazy.map {
            (name: bytes($0.name), value: bytes($0.value))
        }
        let head: ResponseHead
        do throws(ResponseHead.Violation) {
            head = try ResponseHead(status: bytes(status), headers: fields)
        } catch {
            return error.code
        }
        return call.startResponse(head, replacing: hasErrorInfo != 0)
    }

private let write: @convention(c) (OpaquePointer?, ssgi_bytes, ssgi_write_done?, UnsafeMutableRawPointer?) -> Int32 = {
    handle, chunk, done, context in
    let call = ServerOperations.call(handle)
    return call.write(bytes(chunk), completion: done.map { WriteCompletion(function: $0, context: context) })
}

private let read: @convention(c) (OpaquePointer?, Int, ssgi_read_done?, UnsafeMutableRawPointer?) -> Int32 = {
    handle, maxLength, done, context in
    guard let done else { return Int32(SSGI_E_BAD_BODY) }
    return ServerOperations.call(handle).read(
        maxLength: maxLength, completion: ReadCompletion(function: done, context: context))
}

private let finish: @convention(c) (OpaquePointer?, Int32, ssgi_cleanup?, UnsafeMutableRawPointer?) -> Int32 = {
    handle, outcome, cleanup, context in
    let unmanaged = Unmanaged<RequestCall>.fromOpaque(UnsafeRawPointer(handle!))
    let status = unmanaged.takeUnretainedValue().finish(
        failed: outcome != Int32(SSGI_FINISH_OK),
        cleanup: cleanup.map { CleanupCallback(function: $0, context: context) })
    if status == SSGI_OK {
        unmanaged.release()
    }
    return status
}

private let logError: @convention(c) (OpaquePointer?, ssgi_bytes) -> Void = { handle, message in
    let text = String(decoding: bytes(message), as: UTF8.self)
    if let handle {
        ServerOperations.call(handle).logError(text)
    } else {
        ServerOperations.applicationLogger.withLockedValue { $0 }.error("\(text)")
    }
}
