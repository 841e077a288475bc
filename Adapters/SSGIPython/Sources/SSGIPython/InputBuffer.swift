import CPythonBridge

/// What is left of a request body for `wsgi.input`: how many bytes the server has still to
/// deliver, and the bytes read ahead by `readline` and not yet returned.
///
/// A body of known length ends when that many bytes arrived, without asking the server again;
/// a chunked one when the server says so. Nothing is ever read past the body.
final class InputBuffer {
    /// Body bytes still to come; -1 when unknown (chunked).
    private var remaining: Int64 = 0
    /// The whole body was received.
    private(set) var atEnd = true
    /// Read ahead and not yet returned: `pending[offset...]`.
    private(set) var pending: PythonObject?
    private(set) var offset = 0

    func begin(bodyLength: Int64) {
        self.remaining = bodyLength
        self.atEnd = bodyLength == 0
    }

    func end() {
        self.setPending(nil)
    }

    /// How many bytes to ask the server for, at most `maximum`: 0 at the end of the body.
    func nextReadSize(_ maximum: Int) -> Int {
        guard !self.atEnd else { return 0 }
        return self.remaining > 0 ? Int(min(Int64(maximum), self.remaining)) : maximum
    }

    /// The server delivered `length` bytes (0: the end of the body).
    func received(_ length: Int) {
        if length == 0 {
            self.atEnd = true
        } else if self.remaining > 0 {
            self.remaining -= Int64(length)
            if self.remaining == 0 { self.atEnd = true }
        }
    }

    /// The body failed: nothing more comes from it.
    func failed() {
        self.atEnd = true
    }

    /// The read-ahead bytes not yet returned.
    var pendingBytes: UnsafeRawBufferPointer {
        guard let pending = self.pending else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let all = UnsafeRawBufferPointer(start: ssgipy_bytes_data(pending), count: ssgipy_bytes_size(pending))
        return UnsafeRawBufferPointer(rebasing: all[self.offset...])
    }

    /// Holds `bytes` (taking its reference) as read ahead.
    func setPending(_ bytes: PythonObject?) {
        ssgipy_xdecref(self.pending)
        self.pending = bytes
        self.offset = 0
    }

    /// `count` of the read-ahead bytes were returned.
    func consume(_ count: Int) {
        self.offset += count
        if let pending, self.offset >= ssgipy_bytes_size(pending) { self.setPending(nil) }
    }
}
