import NIOConcurrencyHelpers
import NIOCore

/// Caps the connections a worker process holds open (`--worker-connections`) with back-pressure
/// at accept: at the cap every listener stops accepting, so new clients wait in the kernel's
/// listen backlog instead of being accepted and starved or reset; when a connection closes, the
/// listeners accept again.
///
/// One limiter is shared by all of a process's listeners; each listener's server channel gets a
/// `gate()` handler that holds back its `read` (an accept) while the limiter is full, and that
/// lowers the channel's accepts per read near the cap so that one read cannot overshoot it.
final class ConnectionLimiter: Sendable {
    /// The cap.
    let maximum: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var open = 0
        /// The gates holding back a read, to be resumed when a connection closes.
        var paused: [ObjectIdentifier: NIOLoopBound<Gate>] = [:]
    }

    /// Accepts per read when far from the cap: NIO's default.
    static let acceptBatch = 4

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// The number of open connections.
    var openConnections: Int { self.state.withLockedValue { $0.open } }

    /// A handler for the pipeline of one listener's server channel.
    func gate() -> Gate {
        Gate(limiter: self)
    }

    /// How many more connections may be accepted now; registers `gate` to be resumed when none may.
    fileprivate func room(pausing gate: Gate, on eventLoop: any EventLoop) -> Int {
        self.state.withLockedValue { state in
            let room = self.maximum - state.open
            if room <= 0 { state.paused[ObjectIdentifier(gate)] = NIOLoopBound(gate, eventLoop: eventLoop) }
            return room
        }
    }

    fileprivate func opened(_ channel: any Channel) {
        self.state.withLockedValue { $0.open += 1 }
        channel.closeFuture.whenComplete { _ in self.closed() }
    }

    private func closed() {
        let resumed: [NIOLoopBound<Gate>] = self.state.withLockedValue { state in
            state.open -= 1
            guard state.open < self.maximum, !state.paused.isEmpty else { return [] }
            defer { state.paused = [:] }
            return Array(state.paused.values)
        }
        for gate in resumed {
            gate.eventLoop.execute { gate.value.resume() }
        }
    }

    /// The handler on a server channel: counts what it accepts and holds back accepting at the cap.
    final class Gate: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = any Channel
        typealias InboundOut = any Channel
        typealias OutboundIn = any Channel

        private let limiter: ConnectionLimiter
        private var context: ChannelHandlerContext?
        private var readHeldBack = false
        private var batch = ConnectionLimiter.acceptBatch

        fileprivate init(limiter: ConnectionLimiter) {
            self.limiter = limiter
        }

        func handlerAdded(context: ChannelHandlerContext) {
            self.context = context
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            self.context = nil
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.limiter.opened(self.unwrapInboundIn(data))
            context.fireChannelRead(data)
        }

        func read(context: ChannelHandlerContext) {
            let room = self.limiter.room(pausing: self, on: context.eventLoop)
            guard room > 0 else {
                self.readHeldBack = true
                return
            }
            let batch = min(room, ConnectionLimiter.acceptBatch)
            if batch != self.batch, let options = context.channel.syncOptions {
                try? options.setOption(.maxMessagesPerRead, value: UInt(batch))
                self.batch = batch
            }
            context.read()
        }

        fileprivate func resume() {
            guard self.readHeldBack, let context = self.context else { return }
            self.readHeldBack = false
            self.read(context: context)
        }
    }
}
