import Glibc

extension ServerMetrics {
    /// Why a worker exited, as `swiftserve_worker_exits_total` labels it.
    enum ExitReason: String, CaseIterable, Sendable {
        /// Stopped by the master (reload, resize, stop, `--max-requests`).
        case stopped
        /// Killed by the master for `--timeout` or a stop that took too long.
        case killed
        /// It could not load the application.
        case bootFailed = "boot_failed"
        /// It died of a signal it was not sent by the master (a trap, a crash, `kill -9`).
        case crashed
        /// It exited with a failure status by itself.
        case exited
    }
}

extension ServerMetrics.ExitReason {
    /// Why `worker` ended with `exit`, as the master saw it.
    init(of worker: WorkerProcess, _ exit: ProcessExit) {
        if worker.bootFailure != nil {
            self = .bootFailed
        } else if worker.killReason != nil {
            self = .killed
        } else if case .stopping(let signal, _) = worker.phase,
            exit.isSuccess || exit == .killed(signal: signal, coreDumped: false)
        {
            self = .stopped
        } else if case .killed = exit {
            self = .crashed
        } else {
            self = .exited
        }
    }
}
