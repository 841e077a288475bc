import Glibc
import NIOCore

/// A pipe between the master and one worker, and the few system calls both ends need: the worker
/// writes `WorkerMessage`s without ever blocking, the master polls all the read ends at once. The
/// read end reaching end-of-file is how the master hears that a worker is gone, and the write end
/// failing with `EPIPE` how a worker hears that the master is. A pipe also wakes the master's
/// loop, which waits in `poll`, when a signal arrives.
struct ControlPipe {
    let readEnd: CInt
    let writeEnd: CInt

    /// A new pipe, both ends close-on-exec and non-blocking.
    init() throws(ControlPipeError) {
        var ends: [CInt] = [-1, -1]
        guard pipe(&ends) == 0 else { throw ControlPipeError(call: "pipe", code: errno) }
        for end in ends {
            ControlPipe.setCloseOnExec(end)
            ControlPipe.setNonBlocking(end)
        }
        self.readEnd = ends[0]
        self.writeEnd = ends[1]
    }

    /// What a write came to.
    enum WriteResult: Equatable {
        case written
        /// The pipe is full: the reader is behind. Heartbeats can be dropped.
        case full
        /// The reader is gone.
        case closed
    }

    /// Writes `bytes` with one `write`.
    static func write(_ bytes: [UInt8], to descriptor: CInt) -> WriteResult {
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return .written }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .full
            default: return .closed
            }
        }
    }

    /// What a read came to.
    enum ReadResult: Equatable {
        case bytes([UInt8])
        /// Nothing to read now.
        case empty
        /// The writer is gone.
        case endOfFile
    }

    /// Reads what `descriptor` holds, without blocking.
    static func read(from descriptor: CInt) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return .bytes(Array(buffer[..<count])) }
            if count == 0 { return .endOfFile }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .empty
            default: return .endOfFile
            }
        }
    }

    /// Waits until one of `descriptors` can be read (or has reached end-of-file), or `timeout`
    /// passes (nil: without end); returns those that can.
    static func poll(_ descriptors: [CInt], timeout: TimeAmount?) -> Set<CInt> {
        var entries = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let milliseconds = timeout.map { CInt(clamping: max(0, ($0.nanoseconds + 999_999) / 1_000_000)) } ?? -1
        let count = entries.withUnsafeMutableBufferPointer {
            Glibc.poll($0.baseAddress, nfds_t($0.count), milliseconds)
        }
        guard count > 0 else { return [] }
        return Set(entries.filter { $0.revents != 0 }.map(\.fd))
    }

    static func setCloseOnExec(_ descriptor: CInt) {
        _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
    }

    static func setNonBlocking(_ descriptor: CInt) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    static func close(_ descriptor: CInt) {
        _ = Glibc.close(descriptor)
    }
}

/// A control pipe could not be made.
struct ControlPipeError: Error, CustomStringConvertible {
    var call: String
    var code: CInt

    var description: String { "\(self.call) failed: \(String(cString: strerror(self.code)))" }
}
