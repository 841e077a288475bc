import NIOCore

extension HTTP1Connection {
    /// What to do when a deadline passed.
    enum TimeoutAction: Equatable {
        case none
        /// Part of a head, or a body too slow, did not arrive in time while nothing of a response
        /// went out: answer `408 Request Timeout` and close.
        case requestTimeout
        /// Close quietly: an idle connection, a kept-alive one past its timeout, a stop.
        case close
        /// The body arrived slower than the minimum rate (`received` bytes in `waitedSeconds`):
        /// answer `408` when `respond` (nothing of the response went out), else close.
        case slowBody(respond: Bool, received: Int, waitedSeconds: Int)
        /// The client read nothing of the response for the send timeout: close at once, since
        /// nothing more can be flushed to it.
        case closeNow
    }

    /// The timer fired at `now`: every deadline that passed is handled. `readingHeldBack` says
    /// whether the server holds back reading for the application (which does not count against
    /// a slow body).
    mutating func timerFired(now: NIODeadline, readingHeldBack: Bool) -> TimeoutAction {
        if let deadline = self.sendDeadline, deadline <= now {
            self.closed()
            return .closeNow
        }
        switch self.state {
        case .idle(var idle):
            if let deadline = self.quietDeadline, deadline <= now, idle.firstByte == nil {
                self.close()
                return .close
            }
            guard idle.deadline <= now else { return .none }
            if idle.isKeepAlive, let firstByte = idle.firstByte {
                // A head started during the keep-alive wait: it gets the header timeout from its first byte.
                idle.isKeepAlive = false
                idle.deadline = firstByte + self.configuration.headerTimeout
                self.state = .idle(idle)
                if idle.deadline > now { return .none }
            }
            self.close()
            return idle.firstByte == nil ? .close : .requestTimeout
        case .active(var request):
            guard let tick = self.bodyTick, tick <= now else { return .none }
            guard !request.bodyEnded, !request.bodyFailed else {
                self.bodyTick = nil
                return .none
            }
            if !readingHeldBack, !(request.expectsContinue && !request.continueSent) {
                request.bodyWaitSeconds += 1
            }
            guard
                self.configuration.bodyRate.isTooSlow(
                    received: request.bodyReceived, waitedSeconds: request.bodyWaitSeconds)
            else {
                self.state = .active(request)
                self.bodyTick = now + BodyRateRule.tick
                return .none
            }
            let answered = request.responseCommitted || request.responseFinished
            self.close()
            return .slowBody(respond: !answered, received: request.bodyReceived, waitedSeconds: request.bodyWaitSeconds)
        case .closing, .closed:
            return .none
        }
    }
}
