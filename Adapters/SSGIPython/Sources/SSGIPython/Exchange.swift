import CSSGI

/// What a Python thread and the server's I/O thread share for a request: the completions of
/// writes (back-pressure), the bytes of a read, and whether the client went away.
///
/// The server calls `ssgi_write_done` and `ssgi_read_done` on its I/O thread, where no Python may
/// run; they only copy bytes, count and wake the Python thread, which waits with the GIL
/// released. Each write in flight holds a reference to the exchange until its completion, which
/// may come after `finish`; a read is always waited for. A thread reuses its exchange for the
/// next request once no write of the last one is in flight.
final class Exchange: @unchecked Sendable {
    private let lock = ConditionLock()
    /// Writes handed to the server whose completion has not come yet.
    private var writesInFlight = 0
    private var disconnected = false
    /// Where the read in progress puts its bytes, and what it got.
    private var readTarget: UnsafeMutableRawBufferPointer?
    private var readResult: (length: Int, status: Int32)?

    /// Writes in flight beyond which a Python thread waits for the server before writing more:
    /// the server completes a write once its buffer has room (64 KiB a connection), so a
    /// streamed response holds a few chunks however slowly the client reads, and a fast client
    /// costs few waits.
    static let window = 8

    private static func from(_ context: UnsafeMutableRawPointer?) -> Exchange {
        Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Makes the exchange ready for another request, if nothing of the last one is in flight.
    func reset() -> Bool {
        self.lock.withLock {
            guard self.writesInFlight == 0 else { return false }
            self.disconnected = false
            return true
        }
    }

    // MARK: Writes

    /// Writes `bytes` with the server's `write`, counted in flight until its completion; returns
    /// the server's result.
    func write(_ bytes: ssgi_bytes, call: OpaquePointer, ops: UnsafePointer<ssgi_server_ops>) -> Int32 {
        self.lock.withLock { self.writesInFlight += 1 }
        let context = Unmanaged.passRetained(self)
        let status = ops.pointee.write(call, bytes, Self.writeDone, context.toOpaque())
        if status != SSGI_OK {
            // Refused: the completion will not be called.
            context.release()
            self.lock.withLock { self.writesInFlight -= 1 }
        }
        return status
    }

    /// Waits, without the GIL, until no more than `window` writes are in flight; false when the
    /// client went away.
    func waitForRoom() -> Bool {
        let mustWait = self.lock.withLock { self.writesInFlight > Self.window && !self.disconnected }
        if mustWait {
            Python.withoutGIL {
                self.lock.withLock {
                    while self.writesInFlight > Self.window, !self.disconnected { self.lock.wait() }
                }
            }
        }
        return self.lock.withLock { !self.disconnected }
    }

    /// `ssgi_write_done`: the server took a write's bytes, or the client went away.
    private static let writeDone: ssgi_write_done = { context, status in
        let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeRetainedValue()
        let wake = exchange.lock.withLock {
            exchange.writesInFlight -= 1
            if status != SSGI_OK { exchange.disconnected = true }
            return exchange.writesInFlight == Exchange.window || status != SSGI_OK
        }
        if wake { exchange.lock.broadcast() }
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
