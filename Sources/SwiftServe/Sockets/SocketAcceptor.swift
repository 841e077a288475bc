import Dispatch
import Glibc
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Accepts connections on listening sockets that other processes may share, and hands each to
/// SwiftNIO as an already-connected channel.
///
/// All workers accept from the same sockets. SwiftNIO's server channel assumes it is alone on
/// its socket (its debug builds assert that a wake-up brings a connection, which fails when
/// another process took it), so each socket gets a thread of its own that blocks in `accept`,
/// as Gunicorn's sync workers do. The kernel wakes one blocked `accept` per connection, the one
/// that has waited longest, which spreads a burst of connections over the workers instead of
/// giving it all to the first awake. A receive timeout on the socket ends each wait after
/// `stopCheckInterval`, so that the thread notices a stop. The threads only accept; the
/// connections are served on the event loops, chosen in turn.
///
/// At `--worker-connections` open connections the threads stop accepting (`ConnectionLimiter`):
/// new connections wait in the kernel's backlog, where another worker's thread may take them,
/// until one of this worker's connections closes.
final class SocketAcceptor: @unchecked Sendable {
    private let sockets: [ListenSocket]
    /// Each socket's bootstrap, used by its accepting thread once started; `withConnectedSocket`
    /// may be called from any thread.
    private let bootstraps: [ClientBootstrap]
    private let limiter: ConnectionLimiter
    private let logger: Logger
    private let stopped = DispatchSemaphore(value: 0)
    /// Connections accepted and not yet set up on their event loop.
    private let handingOver = DispatchGroup()
    private let stopping = NIOLockedValueBox(false)

    /// How long an `accept` waits before the thread looks whether the server is stopping.
    static let stopCheckInterval: TimeAmount = .milliseconds(50)

    /// An acceptor that gives the connections of each socket to its bootstrap, whose channel
    /// initializer sets up the pipeline, while `limiter` has room for them.
    init(listeners: [(socket: ListenSocket, bootstrap: ClientBootstrap)], limiter: ConnectionLimiter, logger: Logger) {
        self.sockets = listeners.map(\.socket)
        self.bootstraps = listeners.map(\.bootstrap)
        self.limiter = limiter
        self.logger = logger
        let microseconds = Self.stopCheckInterval.nanoseconds / 1000
        var timeout = timeval(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
        for socket in sockets {
            let descriptor = socket.descriptor
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Starts accepting, a thread for each socket.
    func start() {
        for index in self.sockets.indices {
            DispatchQueue(label: "swiftserve.acceptor").async {
                self.acceptUntilStopped(from: self.sockets[index].descriptor, into: self.bootstraps[index])
                self.stopped.signal()
            }
        }
    }

    /// Stops accepting, once started, and closes this process's descriptors of the sockets;
    /// returns once no more connections can come in and every accepted one is set up (and so
    /// known to the server's registry, which a graceful stop waits on).
    func stop() {
        let first = self.stopping.withLockedValue { stopping in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        for _ in self.sockets { self.stopped.wait() }
        self.sockets.forEach { $0.close() }
        self.handingOver.wait()
    }

    private func acceptUntilStopped(from listener: CInt, into bootstrap: ClientBootstrap) {
        while !self.stopping.withLockedValue({ $0 }) {
            // At the cap, leave the connection in the backlog, looking again for a stop meanwhile.
            guard self.limiter.acquire(waitingAtMost: Self.stopCheckInterval) else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                self.limiter.release()
                switch errno {
                case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED:
                    // The wait ended without a connection, or another process took it.
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    self.logger.error(
                        "cannot accept a connection: \(String(cString: strerror(errno))): waiting a moment")
                default:
                    self.logger.error("cannot accept a connection: \(String(cString: strerror(errno)))")
                }
                usleep(100_000)
                continue
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            self.handingOver.enter()
            bootstrap.withConnectedSocket(connection).whenComplete { [logger, handingOver, limiter] result in
                switch result {
                case .success(let channel):
                    channel.closeFuture.whenComplete { _ in limiter.release() }
                case .failure(let error):
                    logger.debug("cannot set up an accepted connection: \(error)")
                    limiter.release()
                }
                handingOver.leave()
            }
        }
    }
}
