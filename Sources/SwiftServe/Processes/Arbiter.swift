import Glibc
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The master process, as Gunicorn's arbiter: it holds the listening sockets, keeps `--workers`
/// worker processes running, and turns signals into actions. It never loads the application
/// itself, so that every worker it starts loads the library afresh from disk.
///
/// - A worker that dies is logged with how it ended and replaced; workers that keep dying young
///   are replaced ever more slowly (`CrashBackoff`).
/// - A worker that cannot start (the application cannot be loaded, its log cannot be opened)
///   stops the server only at boot, while no worker serves. Later the workers that serve keep
///   serving, and the master logs the worker's own reason and tries again, ever more slowly
///   (`CrashBackoff`), until the cause is gone; during a reload it ends the reload instead.
/// - SIGTERM and SIGINT stop gracefully (the workers finish their requests within
///   `--graceful-timeout`, then abandon those left and stop; a worker still running
///   `stopGrace` later is killed); SIGQUIT stops at once.
/// - SIGHUP reloads: a new generation of workers starts, and once all of them are ready the old
///   ones stop gracefully. The sockets stay open throughout, so no connection is refused.
/// - SIGTTIN and SIGTTOU add and remove a worker; SIGUSR1 has the workers reopen their logs.
/// - A worker silent for `--timeout` is killed; one that served `--max-requests` is replaced as
///   in a reload.
///
/// Everything runs on the thread that calls `run`, in one loop that polls the workers' control
/// pipes and a pipe the signal handlers write to.
public final class Arbiter {
    private enum State {
        /// The first workers are loading the application.
        case booting
        case running
        case stopping(graceful: Bool, failure: ArbiterError?)
    }

    private let specifier: ApplicationSpecifier
    private let sockets: [ListenSocket]
    private let configuration: ArbiterConfiguration
    /// This executable, which workers are started from: `/proc/self/exe` names it even after
    /// an upgrade replaced the file, so that workers always run the master's own build.
    private let executable = "/proc/self/exe"
    private let workerArguments: [String]
    private let logger: Logger
    /// The figures `--metrics-bind` shows, when it is given.
    private let metrics: ServerMetrics?

    private var state = State.booting
    private var workers: [pid_t: WorkerProcess] = [:]
    /// How many workers to keep, changed by SIGTTIN and SIGTTOU.
    private var target: Int
    /// The generation that serves; while a reload is under way, the one it replaces.
    private var servingGeneration = 1
    /// The generation a reload is starting.
    private var pendingGeneration: Int?
    private var latestGeneration = 1
    /// A reload asked for while another was under way.
    private var reloadRequested = false
    private var backoff = CrashBackoff()
    private var watcher: LibraryWatcher?
    /// Workers that died and are not replaced yet, and when: for the log of their replacements.
    private var deaths: [(pid: pid_t, died: NIODeadline)] = []
    /// Signals heard and not yet handled.
    private let signals = NIOLockedValueBox<[CInt]>([])
    private let wake: ControlPipe

    /// How long a worker has after its stop deadline (the end of `--graceful-timeout`, or at once
    /// for SIGQUIT) to abandon its requests, run the application's shutdown and exit, before it is
    /// killed. Longer than `Server.abandonedRequestWait`, the worker's own wait for the application.
    static let stopGrace: TimeAmount = .seconds(5)
    /// The longest wait between two looks at the workers.
    static let tick: TimeAmount = .milliseconds(250)

    /// An arbiter for `specifier` on `sockets`; `workerArguments` are this process's own
    /// arguments, which each worker is started with so that it serves as configured.
    public convenience init(
        specifier: ApplicationSpecifier, sockets: [ListenSocket], configuration: ArbiterConfiguration,
        workerArguments: [String], logger: Logger
    ) throws(ArbiterError) {
        try self.init(
            specifier: specifier, sockets: sockets, configuration: configuration, workerArguments: workerArguments,
            metrics: nil, logger: logger)
    }

    /// An arbiter that keeps `metrics` (`--metrics-bind`) of its workers and itself.
    init(
        specifier: ApplicationSpecifier, sockets: [ListenSocket], configuration: ArbiterConfiguration,
        workerArguments: [String], metrics: ServerMetrics?, logger: Logger
    ) throws(ArbiterError) {
        self.specifier = specifier
        self.sockets = sockets
        self.configuration = configuration
        self.target = max(1, configuration.workers)
        self.workerArguments = workerArguments
        self.logger = logger
        self.metrics = metrics
        do {
            self.wake = try ControlPipe()
        } catch {
            throw .cannotStartWorkers(error.description)
        }
        if configuration.reload { self.watcher = LibraryWatcher(path: specifier.path) }
    }

    deinit {
        ControlPipe.close(self.wake.readEnd)
        ControlPipe.close(self.wake.writeEnd)
    }

    /// Runs until a signal stops the server and every worker has exited. Throws when the
    /// application cannot be loaded, after the workers have stopped.
    public func run() throws(ArbiterError) {
        let wake = self.wake.writeEnd
        let observer = SignalObserver(
            [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGTTIN, SIGTTOU, SIGUSR1], label: "swiftserve.arbiter"
        ) { [signals] number in
            signals.withLockedValue { $0.append(number) }
            _ = ControlPipe.write([0], to: wake)
        }
        defer { observer.cancel() }
        self.logger.debug("starting \(self.target) worker\(self.target == 1 ? "" : "s")")

        while true {
            self.manageWorkers()
            if case .stopping(_, let failure) = self.state, self.workers.isEmpty {
                self.sockets.forEach { $0.removeCreatedFile() }
                if let failure { throw failure }
                self.logger.info("stopped")
                return
            }
            let pipes = self.workers.values.compactMap(\.pipe)
            let readable = ControlPipe.poll([self.wake.readEnd] + pipes, timeout: self.pollTimeout())
            if readable.contains(self.wake.readEnd) {
                while case .bytes = ControlPipe.read(from: self.wake.readEnd) {}
            }
            self.handleSignals()
            for worker in self.workers.values where worker.pipe.map(readable.contains) == true {
                self.handle(worker.readMessages(), from: worker)
            }
            self.reapWorkers()
            self.checkDeadlines()
            if case .running = self.state, self.watcher?.check() == true {
                self.logger.notice("\(self.specifier.path) changed (--reload): reloading")
                self.beginReload()
            }
        }
    }

    // MARK: Keeping the workers

    /// Starts the workers that are missing, stops those in excess, and once a generation is
    /// fully ready, stops the workers it replaces.
    private func manageWorkers() {
        if case .stopping = self.state { return }
        let now = NIODeadline.now()
        let generation = self.pendingGeneration ?? self.servingGeneration
        let active = self.workers.values.filter { $0.generation == generation && $0.isActive }
        if active.count < self.target, now >= self.backoff.nextStart {
            // While workers keep dying young, start one at a time.
            let missing = self.backoff.strikes > 1 ? 1 : self.target - active.count
            for _ in 0..<missing {
                guard self.spawnWorker(generation: generation) else { break }
            }
        } else if active.count > self.target {
            for worker in active.sorted(by: { $0.started < $1.started }).prefix(active.count - self.target) {
                self.logger.info("stopping worker \(worker.pid): \(self.target) wanted (SIGTTOU)")
                self.stop(worker, graceful: true)
            }
        }
        let ready = active.filter(\.isServing).count
        guard ready >= self.target else { return }
        if case .booting = self.state {
            self.state = .running
            self.metrics?.health = .serving
            for socket in self.sockets {
                self.logger.notice("listening on \(socket.summary)")
            }
            let pids = active.map { String($0.pid) }.sorted().joined(separator: ", ")
            self.logger.notice(
                "serving \(self.specifier) with \(self.target) worker\(self.target == 1 ? "" : "s") (\(pids))")
        }
        if let pending = self.pendingGeneration {
            self.servingGeneration = pending
            self.pendingGeneration = nil
            self.logger.notice(
                "reloaded: \(ready) new worker\(ready == 1 ? "" : "s") serving; the previous ones finish their requests"
            )
        }
        for worker in self.workers.values
        where !worker.isStopping && (worker.generation < self.servingGeneration || worker.phase == .retiring) {
            self.stop(worker, graceful: true)
        }
        if self.reloadRequested {
            self.reloadRequested = false
            self.beginReload()
        }
    }

    /// Starts one worker; false when it could not be started.
    private func spawnWorker(generation: Int) -> Bool {
        do {
            let region = try self.metrics?.makeRegion()
            let worker = try WorkerProcess.spawn(
                executable: self.executable, arguments: self.workerArguments, sockets: self.sockets,
                generation: generation, metricsDescriptor: region?.descriptor)
            if let region { self.metrics?.processStarted(worker.pid, region: region) }
            if generation == self.servingGeneration, !self.deaths.isEmpty {
                worker.replacing = self.deaths.removeFirst()
            }
            self.workers[worker.pid] = worker
            self.logger.debug("started worker \(worker.pid) (generation \(generation))")
            return true
        } catch {
            if case .booting = self.state {
                self.beginStop(graceful: false, failure: .cannotStartWorkers("\(error)"))
            } else {
                self.logger.error("\(error)")
                let now = NIODeadline.now()
                self.backoff.workerDied(started: now, now: now)
            }
            return false
        }
    }

    private func stop(_ worker: WorkerProcess, graceful: Bool) {
        // A worker still loading has no handlers yet: SIGTERM ends it without a core dump.
        let signal = graceful || worker.phase == .booting ? SIGTERM : SIGQUIT
        let timeout = (graceful ? self.configuration.gracefulTimeout : .zero) + Self.stopGrace
        worker.send(signal)
        worker.phase = .stopping(signal: signal, deadline: .now() + timeout)
    }

    private func beginReload() {
        guard case .running = self.state, self.pendingGeneration == nil else {
            self.reloadRequested = true
            return
        }
        self.latestGeneration += 1
        self.pendingGeneration = self.latestGeneration
        self.metrics?.reloaded()
        self.logger.notice(
            "reloading: starting \(self.target) worker\(self.target == 1 ? "" : "s") that load \(self.specifier.path) afresh"
        )
    }

    private func reloadFailed(_ reason: String) {
        self.logger.error("reload failed: \(reason): the workers of the previous build keep serving")
        for worker in self.workers.values where worker.generation == self.pendingGeneration && !worker.isStopping {
            self.stop(worker, graceful: false)
        }
        self.pendingGeneration = nil
    }

    private func beginStop(graceful: Bool, failure: ArbiterError?) {
        switch self.state {
        case .stopping(let wasGraceful, let earlier):
            guard wasGraceful, !graceful else { return }
            self.state = .stopping(graceful: false, failure: earlier ?? failure)
            for worker in self.workers.values {
                if case .stopping(SIGTERM, _) = worker.phase, worker.killReason == nil {
                    self.stop(worker, graceful: false)
                }
            }
        case .booting, .running:
            self.state = .stopping(graceful: graceful, failure: failure)
            self.metrics?.health = .stopping
            // The workers hold the sockets while they finish; the master needs them no more.
            self.sockets.forEach { $0.close() }
            for worker in self.workers.values where !worker.isStopping {
                self.stop(worker, graceful: graceful)
            }
        }
    }

    // MARK: Hearing from the workers

    private func handle(_ messages: [WorkerMessage], from worker: WorkerProcess) {
        let now = NIODeadline.now()
        for message in messages {
            switch message {
            case .heartbeat:
                worker.lastHeartbeat = now
            case .ready:
                guard worker.phase == .booting else { continue }
                worker.phase = .serving(since: now)
                worker.lastHeartbeat = now
                if let replaced = worker.replacing {
                    self.logger.info(
                        "worker \(worker.pid) ready, replacing worker \(replaced.pid) \(Self.describe(now - replaced.died)) after it died"
                    )
                } else {
                    self.logger.info("worker \(worker.pid) ready")
                }
            case .retiring:
                guard worker.isServing else { continue }
                worker.phase = .retiring
                self.logger.info("worker \(worker.pid) served its --max-requests: starting its replacement")
            case .bootFailed(let text):
                worker.bootFailure = text
            }
        }
    }

    private func reapWorkers() {
        while true {
            var status: CInt = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return }
            guard let worker = self.workers.removeValue(forKey: pid) else { continue }
            self.handle(worker.readMessages(), from: worker)
            worker.closePipe()
            let exit = ProcessExit(waitStatus: status)
            self.metrics?.workerExited(pid, reason: ServerMetrics.ExitReason(of: worker, exit))
            self.workerExited(worker, exit)
        }
    }

    private func workerExited(_ worker: WorkerProcess, _ exit: ProcessExit) {
        let now = NIODeadline.now()
        if case .stopping(let signal, _) = worker.phase {
            let level: Logger.Level
            if case .stopping = self.state { level = .debug } else { level = .info }
            if exit.isSuccess || exit == .killed(signal: signal, coreDumped: false) || worker.bootFailure != nil {
                self.logger.log(level: level, "worker \(worker.pid) stopped")
            } else if worker.killReason == nil {
                self.logger.warning("worker \(worker.pid) \(exit) while stopping")
            }
            return
        }
        if case .stopping = self.state { return }
        if let failure = worker.bootFailure {
            self.bootFailed(worker, ArbiterError.bootFailed(failure, exitCode: Self.exitCode(of: exit)))
            return
        }
        var account = "worker \(worker.pid) \(exit)"
        if let reason = worker.killReason {
            account += " (\(reason))"
        } else if let hint = exit.hint {
            account += " (\(hint))"
        }
        if worker.phase == .booting, worker.generation == self.pendingGeneration {
            self.reloadFailed("\(account) while loading \(self.specifier)")
            return
        }
        guard worker.generation == self.pendingGeneration ?? self.servingGeneration, worker.phase != .retiring else {
            self.logger.error("\(account)")
            return
        }
        self.logger.error("\(account): starting another")
        self.deaths.append((worker.pid, now))
        let delay = self.backoff.workerDied(started: worker.started, now: now)
        if delay > .zero {
            self.logger.warning(
                "waiting \(Self.describe(delay)) before starting another worker: \(self.backoff.strikes) in a row died within \(Self.describe(CrashBackoff.youth)) of starting"
            )
        }
    }

    /// A worker said why it cannot start. At boot, while no worker serves, this stops the server
    /// with that reason, as Gunicorn stops on a boot error; during a reload it ends the reload.
    /// Otherwise the workers that serve keep serving, and another start is tried after the
    /// back-off of a worker that died young, until the cause goes away. (A worker that dies while
    /// loading without saying why, a crash in the application's startup, is replaced like any other.)
    private func bootFailed(_ worker: WorkerProcess, _ error: ArbiterError) {
        let serving = self.workers.values.filter { $0.isServing || $0.phase == .retiring }
        switch self.state {
        case .booting where serving.isEmpty:
            self.beginStop(graceful: false, failure: error)
        case .running where worker.generation == self.pendingGeneration:
            self.reloadFailed(error.message)
        case .booting, .running:
            if let replaced = worker.replacing { self.deaths.insert(replaced, at: 0) }
            let now = NIODeadline.now()
            let delay = self.backoff.workerDied(started: worker.started, now: now)
            let keep =
                serving.isEmpty
                ? "no worker serves meanwhile"
                : "\(serving.count) worker\(serving.count == 1 ? "" : "s") keep\(serving.count == 1 ? "s" : "") serving"
            self.logger.error(
                "worker \(worker.pid) cannot start: \(error.message): \(keep); trying again \(delay > .zero ? "in \(Self.describe(delay))" : "at once")"
            )
        case .stopping:
            break
        }
    }

    // MARK: Signals and time

    private func handleSignals() {
        let pending = self.signals.withLockedValue { signals in
            defer { signals = [] }
            return signals
        }
        for number in pending {
            let name = SignalName.of(number)
            if case .stopping = self.state, number != SIGQUIT {
                self.logger.notice("received \(name) while stopping: ignored")
                continue
            }
            switch number {
            case SIGTERM, SIGINT:
                self.logger.notice("received \(name): stopping gracefully")
                self.beginStop(graceful: true, failure: nil)
            case SIGQUIT:
                self.logger.notice("received \(name): stopping at once")
                self.beginStop(graceful: false, failure: nil)
            case SIGHUP:
                self.logger.notice("received \(name)")
                self.beginReload()
            case SIGTTIN:
                self.target += 1
                self.logger.notice("received \(name): \(self.target) workers")
            case SIGTTOU:
                self.target = max(1, self.target - 1)
                self.logger.notice("received \(name): \(self.target) worker\(self.target == 1 ? "" : "s")")
            case SIGUSR1:
                // A rotation moved the log away: the file the workers open next is created here,
                // where the privileges to create it are. Workers still loading open it afresh anyway.
                self.logger.notice("received \(name): the workers reopen their log files")
                if let accessLog = self.configuration.accessLog {
                    do {
                        try AccessLog.prepare(accessLog, for: self.configuration.privileges)
                    } catch {
                        self.logger.error("\(error)")
                    }
                }
                self.workers.values.filter { $0.phase != .booting }.forEach { $0.send(SIGUSR1) }
            default:
                break
            }
        }
    }

    /// Kills the workers that are silent past `--timeout`, or still running past their stop deadline.
    private func checkDeadlines() {
        let now = NIODeadline.now()
        for worker in self.workers.values where worker.killReason == nil {
            switch worker.phase {
            case .stopping(_, let deadline) where now > deadline:
                self.kill(
                    worker,
                    reason:
                        "it had not exited \(Self.describe(Self.stopGrace)) after its stop deadline (an event loop blocked?)"
                )
            case .booting, .serving, .retiring:
                guard let timeout = self.configuration.timeout, now - worker.lastHeartbeat > timeout else { continue }
                if worker.phase == .booting {
                    self.kill(
                        worker, reason: "it did not load the application within --timeout (\(Self.describe(timeout)))")
                } else {
                    self.kill(
                        worker,
                        reason:
                            "no heartbeat for --timeout (\(Self.describe(timeout))): a request blocked an event loop?")
                }
            case .stopping:
                break
            }
        }
    }

    private func kill(_ worker: WorkerProcess, reason: String) {
        self.logger.error("killing worker \(worker.pid): \(reason)")
        worker.killReason = reason
        worker.send(SIGKILL)
    }

    private func pollTimeout() -> TimeAmount {
        // A pipe closed by a worker whose exit is not reaped yet: look again soon.
        if self.workers.values.contains(where: { $0.pipe == nil }) { return .milliseconds(10) }
        let untilStart = self.backoff.nextStart - .now()
        return untilStart > .zero ? min(Self.tick, untilStart) : Self.tick
    }

    // MARK: Helpers

    private static func exitCode(of exit: ProcessExit) -> CInt {
        if case .exited(let status) = exit, status != 0 { return status }
        return 4
    }

    /// `230 ms`, `1.5 s`.
    static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let tenths = (milliseconds + 50) / 100
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}
