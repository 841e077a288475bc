import NIOCore

/// The state of one HTTP/1.1 connection, as a value: which request is in progress, how far its
/// body and response are, and every timeout, each a deadline on the event loop's clock. It is
/// pure: each event returns what to do, and `HTTP1ConnectionHandler` does it (the shape of NIO's
/// `NIOTypedHTTPServerUpgraderStateMachine` and Hummingbird's
/// `HTTPConnectionStateHandler.StateMachine`), so that it is tested alone with a clock of the
/// tests' own.
///
/// Invariants: one request at a time is in progress; the next head is read only once its
/// response is written and its body is read or thrown away (§14.2); once `closing`, nothing
/// more is read or answered.
struct HTTP1Connection {
    /// Where the connection is.
    enum State {
        /// Waiting for a request head: on a new connection, or kept alive after a response.
        case idle(Idle)
        /// A request is with the application, or its response is out and its body is being
        /// thrown away.
        case active(Request)
        /// The last response is being flushed, then the connection closes: nothing more is read.
        case closing
        /// The channel is closed.
        case closed
    }

    /// The wait for a request head.
    struct Idle {
        /// When the wait ends: the header timeout from the connection's start, or the keep-alive
        /// timeout from the last response.
        var deadline: NIODeadline
        /// Whether `deadline` is a keep-alive timeout, which a head that starts turns into the
        /// header timeout from its first byte.
        var isKeepAlive: Bool
        /// When the first byte of the head arrived, if one did.
        var firstByte: NIODeadline?
    }

    /// A request in progress.
    struct Request {
        /// Whether the connection may stay open after the response, as decided so far.
        var keepAlive: Bool
        /// The client waits for `100 Continue` before it sends the body.
        let expectsContinue: Bool
        var continueSent = false
        /// The body's length from Content-Length, -1 when chunked (unknown).
        var bodyLength: Int64 = -1
        /// The body was read to its end (or there was none).
        var bodyEnded: Bool
        /// The body broke a rule, or arrived too slowly: nothing more on the connection is trusted.
        var bodyFailed = false
        /// A byte of the response went out.
        var responseCommitted = false
        /// The response is complete: what is left of the body is thrown away.
        var responseFinished = false
        /// Body bytes thrown away after the response.
        var drained = 0
        /// Body bytes received, and the seconds waited for them (`BodyRateRule`).
        var bodyReceived = 0
        var bodyWaitSeconds = 0
    }

    /// The timeouts and bounds the state machine applies.
    struct Configuration {
        var headerTimeout: TimeAmount
        var keepAliveTimeout: TimeAmount
        var sendTimeout: TimeAmount
        var bodyRate: BodyRateRule
        /// Body bytes thrown away after a response before the server closes instead.
        var drainLimit = 1024 * 1024
        /// How long an idle connection may stay open after a stop asks it to close: its client
        /// may have sent the next request already, which is answered (then closed) rather than
        /// cut.
        var drainQuietPeriod: TimeAmount = .seconds(1)
    }

    var state: State
    let configuration: Configuration
    /// A graceful stop asked the connection to close once it is idle.
    private(set) var stopRequested = false
    /// When a stop closes an idle connection that stays quiet.
    var quietDeadline: NIODeadline?
    /// The next body-rate tick, while a body is awaited.
    var bodyTick: NIODeadline?
    /// When a response blocked on a client that reads nothing is given up.
    var sendDeadline: NIODeadline?

    /// A connection accepted at `now`: the header timeout runs from here.
    init(configuration: Configuration, now: NIODeadline) {
        self.configuration = configuration
        self.state = .idle(Idle(deadline: now + configuration.headerTimeout, isKeepAlive: false))
    }

    /// The earliest deadline, for the one timer the handler keeps armed.
    var nextDeadline: NIODeadline? {
        var earliest: NIODeadline?
        func consider(_ deadline: NIODeadline?) {
            guard let deadline else { return }
            if earliest == nil || deadline < earliest! { earliest = deadline }
        }
        consider(self.quietDeadline)
        consider(self.bodyTick)
        consider(self.sendDeadline)
        if case .idle(let idle) = self.state { consider(idle.deadline) }
        return earliest
    }

    /// Whether bytes the client sent should be parsed now: not while a request's body has ended
    /// and its response is not done (a pipelined request waits), nor once closing.
    var readsInput: Bool {
        switch self.state {
        case .idle: true
        case .active(let request): !request.bodyEnded && !request.bodyFailed
        case .closing, .closed: false
        }
    }

    /// Whether the body being read is thrown away (its response is complete).
    var isDraining: Bool {
        if case .active(let request) = self.state { return request.responseFinished }
        return false
    }

    // MARK: Events

    /// Bytes arrived at `now`.
    mutating func bytesArrived(now: NIODeadline) {
        switch self.state {
        case .idle(var idle):
            if idle.firstByte == nil {
                idle.firstByte = now
                self.state = .idle(idle)
            }
            // A stop waits for this request, which now gets the header timeout.
            self.quietDeadline = nil
        default:
            break
        }
    }

    /// What to do with a request head.
    enum HeadAction: Equatable {
        /// Hand the request to the application.
        case startCall
        /// The connection is not waiting for a request: drop it.
        case ignore
    }

    /// A complete request head arrived at `now`: the request starts. `bodyLength` is the body's
    /// Content-Length, or -1 when it is chunked, when `hasBody`.
    mutating func headReceived(
        keepAlive: Bool, expectsContinue: Bool, hasBody: Bool, bodyLength: Int64 = -1, now: NIODeadline
    ) -> HeadAction {
        guard case .idle = self.state else { return .ignore }
        self.quietDeadline = nil
        self.state = .active(
            Request(
                keepAlive: keepAlive && !self.stopRequested, expectsContinue: expectsContinue && hasBody,
                bodyLength: hasBody ? bodyLength : 0, bodyEnded: !hasBody))
        if hasBody, self.configuration.bodyRate.bytesPerSecond > 0 {
            self.bodyTick = now + BodyRateRule.tick
        }
        return .startCall
    }

    /// What to do with body bytes.
    enum BodyAction: Equatable {
        /// Hand them to the call.
        case deliver
        /// Throw them away: the response is out.
        case discard
        /// Too much was thrown away already: close.
        case close
    }

    /// `count` body bytes arrived.
    mutating func bodyReceived(count: Int) -> BodyAction {
        guard case .active(var request) = self.state else { return .discard }
        request.bodyReceived += count
        defer { self.state = .active(request) }
        guard request.responseFinished else { return .deliver }
        request.drained += count
        if request.drained > self.configuration.drainLimit {
            request.bodyFailed = true
            return .close
        }
        return .discard
    }

    /// What to do once a request's body ended, or its response did.
    enum CompletionAction: Equatable {
        /// Nothing yet: the response or the body is still to come.
        case none
        /// The request is complete and the connection stays open: read the next request.
        case readNext
        /// Close once the last bytes are flushed.
        case close
    }

    /// The body ended (its last chunk and trailers were read).
    mutating func bodyEnded(now: NIODeadline) -> CompletionAction {
        guard case .active(var request) = self.state else { return .none }
        request.bodyEnded = true
        self.bodyTick = nil
        self.state = .active(request)
        return request.responseFinished ? self.complete(request, now: now) : .none
    }

    /// What to do when the server refuses the request being read.
    enum RefusalAction: Equatable {
        /// Nothing of a response went out: answer with the server's own response and close.
        case refuse
        /// The response is under way: it finishes, then the connection closes.
        case closeAfterResponse
        /// Nothing can be answered: close now.
        case close
    }

    /// The server refuses the request being read: a head that breaks a rule, bytes the parser
    /// refused, a body that breaks a rule (a malformed chunk, a forbidden trailer).
    mutating func refuse() -> RefusalAction {
        switch self.state {
        case .idle:
            self.close()
            return .refuse
        case .active(var request):
            request.bodyFailed = true
            request.keepAlive = false
            self.bodyTick = nil
            if request.responseFinished {
                self.close()
                return .close
            }
            if request.responseCommitted {
                self.state = .active(request)
                return .closeAfterResponse
            }
            self.close()
            return .refuse
        case .closing, .closed:
            return .close
        }
    }

    /// The application asked for body bytes: whether to send `100 Continue` first (§10.3).
    mutating func bodyWanted() -> Bool {
        guard case .active(var request) = self.state, request.expectsContinue, !request.continueSent,
            !request.responseCommitted, !request.bodyEnded, !request.bodyFailed
        else { return false }
        request.continueSent = true
        self.state = .active(request)
        return true
    }

    /// Whether the connection may stay open after the response whose head goes out now, so that
    /// the head says so with `Connection: close` when not (docs/SPEC.md §7.5): what the request's
    /// head says about the connection, no stop, and a body that is read or will be (§10.4): not
    /// one the client waits to be asked for with `100 Continue`, nor the rest of a chunked body,
    /// of unknown size, nor more than `drainLimit` bytes still to come.
    var responseKeepAlive: Bool {
        guard case .active(let request) = self.state, request.keepAlive, !self.stopRequested else { return false }
        if request.bodyEnded { return true }
        if request.bodyFailed || (request.expectsContinue && !request.continueSent) { return false }
        guard request.bodyLength >= 0 else { return false }
        return request.bodyLength - Int64(request.bodyReceived) <= Int64(self.configuration.drainLimit)
    }

    /// A byte of the response went out: `100 Continue` is no longer sent, and a body that breaks
    /// a rule no longer gets the server's own answer.
    mutating func responseCommitted() {
        guard case .active(var request) = self.state else { return }
        request.responseCommitted = true
        self.state = .active(request)
    }

    /// The response is complete; `keepAlive` says whether it leaves the connection open.
    mutating func responseFinished(keepAlive: Bool, now: NIODeadline) -> CompletionAction {
        guard case .active(var request) = self.state else { return .close }
        request.responseCommitted = true
        request.responseFinished = true
        request.keepAlive = request.keepAlive && keepAlive && !self.stopRequested
        if !request.keepAlive || request.bodyFailed {
            self.state = .closing
            return .close
        }
        if request.bodyEnded { return self.complete(request, now: now) }
        // The client has not sent the body it waits to be asked for: it never will (§10.4).
        if request.expectsContinue && !request.continueSent {
            self.state = .closing
            return .close
        }
        // What the application left unread is thrown away, up to the drain limit.
        self.state = .active(request)
        return .none
    }

    /// The request is complete: wait for the next one, or close.
    private mutating func complete(_ request: Request, now: NIODeadline) -> CompletionAction {
        self.bodyTick = nil
        guard request.keepAlive, !request.bodyFailed, !self.stopRequested else {
            self.state = .closing
            return .close
        }
        self.state = .idle(Idle(deadline: now + self.configuration.keepAliveTimeout, isKeepAlive: true))
        return .readNext
    }

    /// A graceful stop asks the connection to close once its request is done.
    mutating func requestStop(now: NIODeadline) -> CompletionAction {
        self.stopRequested = true
        switch self.state {
        case .idle(let idle):
            // Closed once quiet for a while, unless a head has started, which is then answered.
            if idle.firstByte == nil { self.quietDeadline = now + self.configuration.drainQuietPeriod }
            return .none
        case .active(var request):
            request.keepAlive = false
            self.state = .active(request)
            return .none
        case .closing, .closed:
            return .none
        }
    }

    /// The channel's writability changed at `now`: a response blocked on the client is given
    /// the send timeout.
    mutating func writabilityChanged(isWritable: Bool, now: NIODeadline) {
        if isWritable {
            self.sendDeadline = nil
        } else if self.sendDeadline == nil {
            self.sendDeadline = now + self.configuration.sendTimeout
        }
    }

    /// The server closes the connection.
    mutating func close() {
        if case .closed = self.state { return }
        self.state = .closing
        self.clearDeadlines()
    }

    /// The channel closed.
    mutating func closed() {
        self.state = .closed
        self.clearDeadlines()
    }

    private mutating func clearDeadlines() {
        self.quietDeadline = nil
        self.bodyTick = nil
        self.sendDeadline = nil
    }
}
