import CSSGI
import Dispatch
import Synchronization

/// The SDK's side of one request at the C boundary: the server's call handle and operations, as
/// a value (the request's one allocation is its `RequestState`, which holds it).
///
/// This file and `ApplicationDescriptor.swift` hold all the SDK's pointer work. The methods are
/// called one after another by the code that handles the request (the specification forbids
/// concurrent operations on one call); the error stream, which may be written from any thread
/// and after the request ended (in a cleanup, say), goes through `RequestState`, which knows
/// under its lock whether the handle is still valid.
struct ServerCall: @unchecked Sendable {
    private let call: OpaquePointer
    private let ops: UnsafePointer<ssgi_server_ops>
    /// Whether blocking waits are allowed on the threads that run the application.
    let mayBlock: Bool

    init(call: OpaquePointer, ops: UnsafePointer<ssgi_server_ops>, mayBlock: Bool) {
        self.call = call
        self.ops = ops
        self.mayBlock = mayBlock
    }

    func startResponse(status: String, headers: [HTTPHeader], hasErrorInfo: Bool) -> Int32 {
        var status = status
        return status.withUTF8 { statusBytes in
            withCHeaders(headers) { cHeaders in
                self.ops.pointee.start_response(
                    self.call, ssgi_bytes(statusBytes), cHeaders.baseAddress, cHeaders.count, hasErrorInfo ? 1 : 0)
            }
        }
    }

    /// Hands bytes to the server without waiting for it to take more.
    func write(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { buffer in
            self.ops.pointee.write(self.call, ssgi_bytes(buffer), nil, nil)
        }
    }

    /// Hands a chunk to the server without waiting for it to take more; a string's UTF-8 goes as
    /// it is stored, without a copy.
    func write(_ chunk: BodyChunk) -> Int32 {
        switch chunk.storage {
        case .bytes(let bytes):
            return self.write(bytes)
        case .string(var string):
            return string.withUTF8 { buffer in
                self.ops.pointee.write(self.call, ssgi_bytes(buffer), nil, nil)
            }
        }
    }

    /// Hands bytes to the server and suspends until it can take more.
    func write(_ bytes: [UInt8]) async -> Int32 {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Int32, Never>) in
            let box = Unmanaged.passRetained(Waiter(continuation)).toOpaque()
            let code = bytes.withUnsafeBufferPointer { buffer in
                self.ops.pointee.write(self.call, ssgi_bytes(buffer), writeDone, box)
            }
            if code != SSGI_OK {
                Unmanaged<Waiter<Int32>>.fromOpaque(box).release()
                continuation.resume(returning: code)
            }
        }
    }

    /// Hands bytes to the server and blocks this thread until it can take more.
    func writeBlocking(_ bytes: [UInt8]) -> Int32 {
        let semaphore = DispatchSemaphore(value: 0)
        let box = BlockingWaiter<Int32>(semaphore)
        let code = bytes.withUnsafeBufferPointer { buffer in
            self.ops.pointee.write(
                self.call, ssgi_bytes(buffer), blockingWriteDone, Unmanaged.passRetained(box).toOpaque())
        }
        guard code == SSGI_OK else {
            Unmanaged.passUnretained(box).release()
            return code
        }
        semaphore.wait()
        return box.value!
    }

    /// Reads up to `maxLength` bytes of the request body; an empty result is the end.
    func read(maxLength: Int) async -> Result<[UInt8], SSGIError> {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<[UInt8], SSGIError>, Never>) in
            let box = Unmanaged.passRetained(Waiter(continuation)).toOpaque()
            let code = self.ops.pointee.read(self.call, maxLength, readDone, box)
            if code != SSGI_OK {
                Unmanaged<Waiter<Result<[UInt8], SSGIError>>>.fromOpaque(box).release()
                continuation.resume(
                    returning: .failure(SSGIError(code: code, "the server refused to read the body (code \(code))")))
            }
        }
    }

    /// Asks the server for body bytes on behalf of a foreign application, with its own callback:
    /// the server runs it where it runs every callback, on the connection's I/O thread.
    func read(maxLength: Int, forwardingTo done: ssgi_read_done, context: UnsafeMutableRawPointer?) -> Int32 {
        self.ops.pointee.read(self.call, maxLength, done, context)
    }

    /// Reads up to `maxLength` bytes of the request body, blocking this thread.
    func readBlocking(maxLength: Int) -> Result<[UInt8], SSGIError> {
        let semaphore = DispatchSemaphore(value: 0)
        let box = BlockingWaiter<Result<[UInt8], SSGIError>>(semaphore)
        let code = self.ops.pointee.read(self.call, maxLength, blockingReadDone, Unmanaged.passRetained(box).toOpaque())
        guard code == SSGI_OK else {
            Unmanaged.passUnretained(box).release()
            return .failure(SSGIError(code: code, "the server refused to read the body (code \(code))"))
        }
        semaphore.wait()
        return box.value!
    }

    /// Ends the call; the handle is invalid from here on.
    func finish(failed: Bool, cleanup: (@Sendable (Bool) -> Void)?) {
        let outcome = Int32(failed ? SSGI_FINISH_ERROR : SSGI_FINISH_OK)
        if let cleanup {
            let box = Unmanaged.passRetained(CleanupBox(cleanup)).toOpaque()
            _ = self.ops.pointee.finish(self.call, outcome, runCleanup, box)
        } else {
            _ = self.ops.pointee.finish(self.call, outcome, nil, nil)
        }
    }

    /// Logs with the request's handle while it is valid (`finished` is false), and without it after.
    func logError(_ message: String, finished: Bool) {
        logServerError(self.ops, call: finished ? nil : self.call, message)
    }
}

/// Writes `message` to the server's error log; `call` is nil outside a request.
func logServerError(_ ops: UnsafePointer<ssgi_server_ops>, call: OpaquePointer?, _ message: String) {
    var message = message
    message.withUTF8 { ops.pointee.log_error(call, ssgi_bytes($0)) }
}

extension ssgi_bytes {
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.init(data: buffer.baseAddress, length: buffer.count)
    }

    /// The bytes as a string; invalid UTF-8 is repaired with U+FFFD.
    package var string: String {
        guard let data = self.data, self.length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: self.length), as: UTF8.self)
    }
}

/// Lays `headers` out as C structs pointing into one contiguous copy of their bytes, both in
/// temporary storage (on the stack when small) that lives for the duration of `body`.
private func withCHeaders<Result>(
    _ headers: [HTTPHeader], _ body: (UnsafeBufferPointer<ssgi_header>) -> Result
) -> Result {
    var byteCount = 0
    for header in headers {
        byteCount += header.name.utf8.count + header.value.utf8.count
    }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(byteCount, 1)) { storage in
        withUnsafeTemporaryAllocation(of: ssgi_header.self, capacity: headers.count) { cHeaders in
            var offset = 0
            for (index, header) in headers.enumerated() {
                let name = copy(header.name.utf8, into: storage, at: &offset)
                let value = copy(header.value.utf8, into: storage, at: &offset)
                cHeaders.initializeElement(at: index, to: ssgi_header(name: name, value: value))
            }
            return body(UnsafeBufferPointer(cHeaders))
        }
    }
}

/// Copies `bytes` into `storage` at `offset`, moves `offset` past them, and points at the copy.
private func copy(
    _ bytes: String.UTF8View, into storage: UnsafeMutableBufferPointer<UInt8>, at offset: inout Int
) -> ssgi_bytes {
    let start = storage.baseAddress! + offset
    let copied = UnsafeMutableBufferPointer(start: start, count: bytes.count).initialize(from: bytes).1
    offset += copied
    return ssgi_bytes(data: start, length: copied)
}

private final class Waiter<Value>: @unchecked Sendable {
    let continuation: UnsafeContinuation<Value, Never>

    init(_ continuation: UnsafeContinuation<Value, Never>) {
        self.continuation = continuation
    }
}

private final class BlockingWaiter<Value>: @unchecked Sendable {
    let semaphore: DispatchSemaphore
    var value: Value?

    init(_ semaphore: DispatchSemaphore) {
        self.semaphore = semaphore
    }

    func complete(_ value: Value) {
        self.value = value
        self.semaphore.signal()
    }
}

private final class CleanupBox {
    let cleanup: @Sendable (Bool) -> Void

    init(_ cleanup: @escaping @Sendable (Bool) -> Void) {
        self.cleanup = cleanup
    }
}

private func readResult(_ bytes: ssgi_bytes, _ status: Int32) -> Result<[UInt8], SSGIError> {
    guard status == SSGI_OK else {
        if status == SSGI_E_DISCONNECTED { return .failure(.disconnected) }
        return .failure(SSGIError(code: status, "the request body could not be read (code \(status))"))
    }
    guard let data = bytes.data, bytes.length > 0 else { return .success([]) }
    return .success(Array(UnsafeBufferPointer(start: data, count: bytes.length)))
}

/// Resumes the waiting task; a task that prefers `IOThreadExecutor` carries on on this I/O thread.
private let writeDone: ssgi_write_done = { context, status in
    let waiter = Unmanaged<Waiter<Int32>>.fromOpaque(context!).takeRetainedValue()
    IOThreadExecutor.runningCallback { waiter.continuation.resume(returning: status) }
}

private let blockingWriteDone: ssgi_write_done = { context, status in
    Unmanaged<BlockingWaiter<Int32>>.fromOpaque(context!).takeRetainedValue().complete(status)
}

/// Resumes the waiting task with the bytes, as `writeDone` does.
private let readDone: ssgi_read_done = { context, bytes, status in
    let waiter = Unmanaged<Waiter<Result<[UInt8], SSGIError>>>.fromOpaque(context!).takeRetainedValue()
    let result = readResult(bytes, status)
    IOThreadExecutor.runningCallback { waiter.continuation.resume(returning: result) }
}

private let blockingReadDone: ssgi_read_done = { context, bytes, status in
    Unmanaged<BlockingWaiter<Result<[UInt8], SSGIError>>>.fromOpaque(context!).takeRetainedValue()
        .complete(readResult(bytes, status))
}

private let runCleanup: ssgi_cleanup = { context, status in
    Unmanaged<CleanupBox>.fromOpaque(context!).takeRetainedValue().cleanup(status == SSGI_OK)
}
