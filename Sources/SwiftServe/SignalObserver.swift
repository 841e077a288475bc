import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hears signals with dispatch signal sources: the signals' default actions are turned off, and
/// the handler runs on a queue of its own, where it may do anything (unlike a C signal handler).
final class SignalObserver: Sendable {
    /// Created in `init` and only cancelled after.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    /// Starts observing `signals`; `handler` is called with the number of each that arrives.
    init(_ signals: [CInt], label: String, handler: @escaping @Sendable (CInt) -> Void) {
        let queue = DispatchQueue(label: label)
        self.sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops observing; the signals stay ignored.
    func cancel() {
        self.sources.forEach { $0.cancel() }
    }
}
