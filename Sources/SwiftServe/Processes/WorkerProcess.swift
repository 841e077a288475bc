import Glibc
import NIOCore

/// A worker as its master sees it: the process, the read end of its control pipe, and where it is
/// in its life.
///
/// Workers are started with `posix_spawn` of this executable, never by `fork` of the master: a
/// forked copy of a threaded Swift process may inherit locks held by threads that do not exist
/// in the child. The child gets the listening sockets as descriptors 3, 4, ... and the write end
/// of its pipe after them, moved there by the spawn's file actions (which also clear their
/// close-on-exec flags); every other descriptor of the master is close-on-exec.
final class WorkerProcess {
    enum Phase: Equatable {
        /// Loading the application.
        case booting
        /// Accepting connections since this time.
        case serving(since: NIODeadline)
        /// Served its `--max-requests`; serving until its replacement is ready.
        case retiring
        /// Sent `signal` at `since` to stop; killed if still running at `deadline`.
        case stopping(signal: CInt, deadline: NIODeadline)
    }

    let pid: pid_t
    /// Workers started by the same reload share a generation; a reload starts the next.
    let generation: Int
    let started: NIODeadline
    var phase = Phase.booting
    var lastHeartbeat: NIODeadline
    /// What the worker said when it could not load the application.
    var bootFailure: String?
    /// Why the master killed it, when it did.
    var killReason: String?
    /// The worker it was started to replace, and when that one died: for the log.
    var replacing: (pid: pid_t, died: NIODeadline)?
    /// The read end of the control pipe; nil once the worker closed it (it is gone).
    private(set) var pipe: CInt?
    private var decoder = WorkerMessageDecoder()

    private init(pid: pid_t, generation: Int, pipe: CInt) {
        self.pid = pid
        self.generation = generation
        self.started = .now()
        self.lastHeartbeat = self.started
        self.pipe = pipe
    }

    /// Starts `executable` as a worker that inherits `sockets`, with `arguments` after the
    /// hidden worker option.
    /// `metricsDescriptor`, when given, is passed after the pipe: the worker's `MetricsRegion`.
    static func spawn(
        executable: String, arguments: [String], sockets: [ListenSocket], generation: Int,
        metricsDescriptor: CInt? = nil
    ) throws(WorkerSpawnError) -> WorkerProcess {
        let control: ControlPipe
        do {
            control = try ControlPipe()
        } catch {
            throw WorkerSpawnError(reason: error.description)
        }
        defer { ControlPipe.close(control.writeEnd) }
        let passed = sockets.map(\.descriptor) + [control.writeEnd] + (metricsDescriptor.map { [$0] } ?? [])
        // Copies above the target numbers, so that no move overwrites a descriptor still to be moved.
        let sources = passed.map { fcntl($0, F_DUPFD_CLOEXEC, Worker.firstDescriptor + CInt(passed.count)) }
        defer { sources.filter { $0 >= 0 }.forEach(ControlPipe.close) }
        guard sources.allSatisfy({ $0 >= 0 }) else {
            ControlPipe.close(control.readEnd)
            throw WorkerSpawnError(
                reason: "cannot duplicate the listening sockets: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, source) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Worker.firstDescriptor + CInt(index))
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The master ignores the signals it hears through dispatch sources, and an ignored signal
        // stays ignored across exec: give the worker the default actions and an empty mask.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in Self.signalsToReset { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([Self.commandName, Worker.socketsOption, "\(sockets.count)"] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], environ)
        guard status == 0 else {
            ControlPipe.close(control.readEnd)
            throw WorkerSpawnError(reason: "posix_spawn of \(executable) failed: \(String(cString: strerror(status)))")
        }
        return WorkerProcess(pid: pid, generation: generation, pipe: control.readEnd)
    }

    /// The name the workers are started under, as `ps` shows it: the master's own.
    private static let commandName = CommandLine.arguments.first ?? "swiftserve"

    /// The signals the master may have set to be ignored.
    private static let signalsToReset: [CInt] = [
        SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU, SIGWINCH, SIGPIPE, SIGCHLD,
    ]

    /// Reads what the worker sent; closes the pipe at its end.
    func readMessages() -> [WorkerMessage] {
        var messages: [WorkerMessage] = []
        while let pipe = self.pipe {
            switch ControlPipe.read(from: pipe) {
            case .bytes(let bytes):
                messages += self.decoder.decode(bytes)
            case .empty:
                return messages
            case .endOfFile:
                ControlPipe.close(pipe)
                self.pipe = nil
            }
        }
        return messages
    }

    /// Sends `signal` to the worker.
    func send(_ signal: CInt) {
        kill(self.pid, signal)
    }

    /// Whether the worker has been asked to stop.
    var isStopping: Bool {
        if case .stopping = self.phase { true } else { false }
    }

    /// Whether it serves or is loading the application to serve, and has not been asked to go.
    var isActive: Bool {
        switch self.phase {
        case .booting, .serving: true
        case .retiring, .stopping: false
        }
    }

    var isServing: Bool {
        if case .serving = self.phase { true } else { false }
    }

    /// Closes the pipe, once the process has been reaped.
    func closePipe() {
        if let pipe = self.pipe { ControlPipe.close(pipe) }
        self.pipe = nil
    }
}

/// A worker could not be started.
struct WorkerSpawnError: Error, CustomStringConvertible {
    var reason: String

    var description: String { "cannot start a worker: \(self.reason)" }
}
