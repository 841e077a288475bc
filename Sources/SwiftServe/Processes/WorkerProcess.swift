import Glibc
import NIOCore

/// A worker as its master sees it: the process, the read end of its control pipe, and where it is
/// in its life.
///
/// Workers are started as children of this executable (`ChildProcess`), never by `fork` of the
/// master. The child gets the listening sockets as descriptors 3, 4, ... and the write end of its
/// pipe after them.
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
    static func spawn(executable: String, arguments: [String], sockets: [ListenSocket], generation: Int)
        throws(WorkerSpawnError) -> WorkerProcess
    {
        let control: ControlPipe
        do {
            control = try ControlPipe()
        } catch {
            throw WorkerSpawnError(reason: error.description)
        }
        defer { ControlPipe.close(control.writeEnd) }
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(
                executable: executable, arguments: [Worker.socketsOption, "\(sockets.count)"] + arguments,
                passing: sockets.map(\.descriptor) + [control.writeEnd])
        } catch {
            ControlPipe.close(control.readEnd)
            throw WorkerSpawnError(reason: error.description)
        }
        return WorkerProcess(pid: pid, generation: generation, pipe: control.readEnd)
    }

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
