import CSSGI

/// What a Python thread and the server's I/O thread share for one request: the completions of
/// writes (back-pressure), the bytes of a read, and whether the client went away.
///
/// The server calls `ssgi_write_done` and `ssgi_read_done` on its I/O thread, where no Python may
/// run; they only copy bytes, count and wake the Python thread, which waits with the GIL
/// released. One is made for a request the first time it reads or streams. Each write's
/// completion keeps it alive until the server called it, which may be after `finish`; a read is
/// always waited for.
final class Exchange: @unchecked Sendable {
    private let lock = ConditionLock()
    /// Response bytes written and not yet taken by the server.
    private var bytesInFlight = 0
    private var disconnected = false
    /// Where the read in progress puts its bytes, and what it got.
    private var readTarget: UnsafeMutableRawBufferPointer?
    private var readResult: (length: Int, status: Int32)?

    /// Bytes in flight beyond which a Python thread waits for the server before writing more: a
    /// streamed response is held to this much memory however slowly the client reads, with few
    /// waits for a fast one.
    static let window = 256 * 1024

    private static func from(_ context: UnsafeMutableRawPointer?) -> Exchange {
        Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
    }

    // MARK: Writes

    /// Writes `bytes` with the server's `write`, counting them in flight until its completion;
    /// returns the server's result.
    func write(_ bytes: ssgi_bytes, call: OpaquePointer, ops: UnsafePointer<ssgi_server_ops>) -> Int32 {
        self.lock.withLock { self.bytesInFlight += bytes.length }
        let completion = Unmanaged.passRetained(WriteCompletion(exchange: self, count: bytes.length))
        let status = ops.pointee.write(call, bytes, Self.writeDone, completion.toOpaque())
        if status != SSGI_OK {
            // Refused: the completion will not be called.
            completion.release()
            self.lock.withLock { self.bytesInFlight -= bytes.length }
        }
        return status
    }

    /// Waits, without the GIL, until no more than `window` bytes are in flight; false when the
    /// client went away.
    func waitForRoom() -> Bool {
        let mustWait = self.lock.withLock { self.bytesInFlight > Self.window && !self.disconnected }
        if mustWait {
            Python.withoutGIL {
                self.lock.withLock {
                    while self.bytesInFlight > Self.window, !self.disconnected { self.lock.wait() }
                }
            }
        }
        return self.lock.withLock { !self.disconnected }
    }

    /// `ssgi_write_done`: the server took a write's bytes, or the client went away. Its context
    /// is a `WriteCompletion` that knows the write's size.
    private static let writeDone: ssgi_write_done = { context, status in
        let completion = Unmanaged<WriteCompletion>.fromOpaque(context!).takeRetainedValue()
        let exchange = completion.exchange
        exchange.lock.withLock {
            exchange.bytesInFlight -= completion.count
            if status != SSGI_OK { exchange.disconnected = true }
        }
        exchange.lock.broadcast()
    }

    // MARK: Reads

    /// Reads up to `target.count` bytes of the body into `target` with the server's `read`, waiting
    /// without the GIL; returns how many (0 at the end of the body) and the status.
    func read(
        into target: UnsafeMutableRawBufferPointer, call: OpaquePointer, ops: UnsafePointer<ssgi_server_ops>
    ) -> (length: Int, status: Int32) {
        self.lock.withLock {
            self.readTarget = target
            self.readResult = nil
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let accepted = ops.pointee.read(call, target.count, Self.readDone, context)
        guard accepted == SSGI_OK else { return (0, accepted) }
        return Python.withoutGIL {
            self.lock.withLock {
                while self.readResult == nil { self.lock.wait() }
                defer {
                    self.readTarget = nil
                    self.readResult = nil
                }
                return self.readResult!
            }
        }
    }

    private static let readDone: ssgi_read_done = { context, bytes, status in
        let exchange = Exchange.from(context)
        exchange.lock.withLock {
            var length = 0
            if let target = exchange.readTarget, let data = bytes.data, bytes.length > 0 {
                length = min(bytes.length, target.count)
                target.baseAddress!.copyMemory(from: data, byteCount: length)
            }
            if status == SSGI_E_DISCONNECTED { exchange.disconnected = true }
            exchange.readResult = (length, status)
        }
        exchange.lock.broadcast()
    }
}

/// The size of one write, for its completion.
private final class WriteCompletion {
    let exchange: Exchange
    let count: Int

    init(exchange: Exchange, count: Int) {
        self.exchange = exchange
        self.count = count
    }
}
