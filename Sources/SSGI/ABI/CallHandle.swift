import CSSGI
import Synchronization

/// The server's side of one `ssgi_call`: the object the application's call handle points to,
/// from `handle` until `finish` (it holds a reference to itself meanwhile).
///
/// It keeps the call's `CallRules` under a lock, since the application may call from any thread,
/// and hands every operation to its delegate: swiftserve's call core, or the SDK's bridge to a
/// foreign application. `ServerOperations` is the C table that leads here.
package final class CallHandle: @unchecked Sendable {
    /// Who carries the operations out.
    package let delegate: any CallDelegate
    private let rules = Mutex(CallRules())

    package init(delegate: any CallDelegate) {
        self.delegate = delegate
    }

    /// The handle for the application, holding a reference to this call until `finish`.
    package func retainedHandle() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// Checks `start_response` against the rules: nil when the response may start.
    /// `violation` is the code of the rule of §7 the head breaks, if the caller checked it.
    package func admitStart(replacing: Bool, declaredLength: Int?, violation: Int32? = nil) -> Int32? {
        self.rules.withLock { $0.start(replacing: replacing, declaredLength: declaredLength, violation: violation) }
    }

    /// Checks `write` of `count` bytes against the rules: nil when they may be sent.
    package func admitWrite(count: Int) -> Int32? {
        self.rules.withLock { $0.write(count: count) }
    }

    /// Checks `read` against the rules: nil when the body may be read.
    package func admitRead() -> Int32? {
        self.rules.withLock { $0.read() }
    }

    /// Checks `finish` against the rules: `SSGI_E_FINISHED` when it changes nothing, else the
    /// call ends now and the result is what `finish` returns (`CallRules.finish(failed:)`).
    package func admitFinish(failed: Bool) -> Int32 {
        self.rules.withLock { $0.finish(failed: failed) }
    }

    /// The client went away: later writes are refused at once.
    package func markDisconnected() {
        self.rules.withLock { $0.disconnect() }
    }
}

/// What carries out the operations of the calls a `CallHandle` admits. Each method is the C
/// operation of the same name, called from any thread; it checks the rules with the handle's
/// `admit...` methods and returns the result code.
package protocol CallDelegate: AnyObject, Sendable {
    func startResponse(
        _ call: CallHandle, status: UnsafeRawBufferPointer, headers: UnsafeBufferPointer<ssgi_header>, replacing: Bool
    ) -> Int32
    func write(_ call: CallHandle, _ bytes: UnsafeRawBufferPointer, completion: WriteCompletion?) -> Int32
    func read(_ call: CallHandle, maxLength: Int, completion: ReadCompletion) -> Int32
    func finish(_ call: CallHandle, failed: Bool, cleanup: CleanupCallback?) -> Int32
    func logError(_ call: CallHandle, _ message: UnsafeRawBufferPointer)
}
