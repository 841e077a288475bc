import CSSGI

/// Where a synchronous application's code runs; the server reports it in `ssgi.multithread`.
public enum ExecutionMode: Sendable {
    /// On the server's I/O thread that received the request: the fastest choice, for code that never blocks.
    case inline
    /// On a pool of threads where blocking (files, databases, sleeps) is allowed: the safe default.
    case threadPool

    var abiValue: UInt32 {
        switch self {
        case .inline: UInt32(SSGI_EXECUTION_INLINE)
        case .threadPool: UInt32(SSGI_EXECUTION_THREAD_POOL)
        }
    }
}
