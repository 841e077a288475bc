import CSSGI

/// The specification's rules for the order of a call's operations (docs/SPEC.md §7.4, §8.1,
/// §9.1, §11), as the state of one call: what the application has done so far, and the result
/// code of each operation it tries next.
///
/// Every server side of the ABI keeps one per call (`CallHandle`), so that swiftserve and the
/// SDK's bridge to foreign applications enforce the rules the same way.
package struct CallRules: Sendable {
    package private(set) var started = false
    /// The head is committed (§1.1): a non-empty write or finish came, whether or not anything was
    /// sent yet, so start_response can no longer replace it (§7.4).
    package private(set) var committed = false
    package private(set) var finished = false
    package private(set) var disconnected = false
    private var declaredLength: Int?
    private var written = 0

    package init() {}

    /// `start_response`, with or without error information: nil when it may go ahead.
    /// `violation` is the code of the rule of §7 the head breaks, if any, which comes after
    /// `SSGI_E_FINISHED` and before the rules of order.
    package mutating func start(replacing: Bool, declaredLength: Int?, violation: Int32? = nil) -> Int32? {
        if self.finished { return Int32(SSGI_E_FINISHED) }
        if let violation { return violation }
        if self.started {
            if !replacing { return Int32(SSGI_E_ALREADY_STARTED) }
            if self.committed { return Int32(SSGI_E_HEADERS_SENT) }
        }
        self.started = true
        self.declaredLength = declaredLength
        return nil
    }

    /// `write` of `count` bytes: nil when it may go ahead.
    package mutating func write(count: Int) -> Int32? {
        if self.finished { return Int32(SSGI_E_FINISHED) }
        if !self.started { return Int32(SSGI_E_NOT_STARTED) }
        if self.disconnected { return Int32(SSGI_E_DISCONNECTED) }
        if let declared = self.declaredLength, self.written + count > declared { return Int32(SSGI_E_TOO_MUCH_BODY) }
        self.written += count
        if count > 0 { self.committed = true }
        return nil
    }

    /// `read`: nil when it may go ahead.
    package func read() -> Int32? {
        self.finished ? Int32(SSGI_E_FINISHED) : nil
    }

    /// `finish` with its outcome: `SSGI_E_FINISHED` for a second one, which changes nothing;
    /// else the call is over, and the result is `SSGI_OK`, or `SSGI_E_NOT_STARTED` for an OK
    /// outcome without a started response, which still ends the request, with a 500 (§9.1).
    package mutating func finish(failed: Bool) -> Int32 {
        if self.finished { return Int32(SSGI_E_FINISHED) }
        self.finished = true
        self.committed = true
        return failed || self.started ? Int32(SSGI_OK) : Int32(SSGI_E_NOT_STARTED)
    }

    /// The client went away: later writes are refused at once.
    package mutating func disconnect() {
        self.disconnected = true
    }
}
