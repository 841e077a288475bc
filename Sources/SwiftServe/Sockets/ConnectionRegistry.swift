import NIOConcurrencyHelpers
import NIOCore

/// The open connections, so that a graceful stop can ask each to finish and wait until they have.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var idle: [EventLoopPromise<Void>] = []
        /// A graceful stop has begun: a connection accepted now is asked to close as well.
        var draining = false
    }

    private let state = NIOLockedValueBox(State())

    /// Registers a connection; called before its handlers are added.
    func add(_ channel: any Channel) {
        let draining = self.state.withLockedValue { state in
            state.channels[ObjectIdentifier(channel)] = channel
            return state.draining
        }
        if draining {
            // After the channel initializer has added the connection handler.
            channel.eventLoop.execute {
                channel.pipeline.fireUserInboundEventTriggered(HTTP1ConnectionHandler.CloseWhenIdle())
            }
        }
        channel.closeFuture.whenComplete { _ in
            let waiters: [EventLoopPromise<Void>] = self.state.withLockedValue { state in
                state.channels[ObjectIdentifier(channel)] = nil
                guard state.channels.isEmpty else { return [] }
                defer { state.idle = [] }
                return state.idle
            }
            waiters.forEach { $0.succeed() }
        }
    }

    /// Asks every connection to close after its current response; the future completes when all have.
    func closeAllWhenIdle(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let channels: [any Channel] = self.state.withLockedValue { state in
            state.draining = true
            if !state.channels.isEmpty { state.idle.append(promise) }
            return Array(state.channels.values)
        }
        if channels.isEmpty { promise.succeed() }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(HTTP1ConnectionHandler.CloseWhenIdle())
        }
        return promise.futureResult
    }

    /// Closes every connection now.
    func closeAll() {
        let channels = self.state.withLockedValue { Array($0.channels.values) }
        for channel in channels {
            channel.close(promise: nil)
        }
    }
}
