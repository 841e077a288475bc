import Synchronization

/// A value shared with `@Sendable` closures, for recording what they were called with.
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    /// The current value.
    public var value: Value { self.mutex.withLock { $0 } }

    /// Runs `body` with the value, which it may change, while holding the lock.
    public func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        self.mutex.withLock { body(&$0) }
    }
}
