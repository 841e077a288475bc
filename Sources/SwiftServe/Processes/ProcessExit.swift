import Glibc

/// How a process ended, decoded from the status `waitpid` gives, in the words the log uses.
enum ProcessExit: Equatable, CustomStringConvertible {
    /// It called `exit` (or returned from `main`) with this status.
    case exited(status: CInt)
    /// A signal ended it.
    case killed(signal: CInt, coreDumped: Bool)

    /// Decodes a `waitpid` status, as the `WIFEXITED` family of macros does.
    init(waitStatus: CInt) {
        let signal = waitStatus & 0x7f
        if signal == 0 {
            self = .exited(status: (waitStatus >> 8) & 0xff)
        } else {
            self = .killed(signal: signal, coreDumped: waitStatus & 0x80 != 0)
        }
    }

    /// Whether it exited with status 0.
    var isSuccess: Bool { self == .exited(status: 0) }

    /// `exited with status 4`, `was killed by SIGKILL`, `was killed by SIGSEGV (core dumped)`.
    var description: String {
        switch self {
        case .exited(let status):
            return "exited with status \(status)"
        case .killed(let signal, let coreDumped):
            return "was killed by \(SignalName.of(signal))\(coreDumped ? " (core dumped)" : "")"
        }
    }

    /// What the exit usually means, when it says something about the application: a Swift
    /// runtime trap stops the process with SIGILL on x86-64 and SIGTRAP on ARM64.
    var hint: String? {
        guard case .killed(let signal, _) = self else { return nil }
        switch signal {
        case SIGILL, SIGTRAP:
            return "a trap in the application (a fatalError, an index out of range, a force-unwrapped nil, an overflow)"
        case SIGSEGV, SIGBUS:
            return "a memory fault in the application or a library it uses"
        case SIGABRT:
            return "the application or the runtime aborted"
        default:
            return nil
        }
    }
}
