import Glibc

/// Starting a process of this server's own executable: a worker, or the process that removes the
/// server's files at its exit (`CleanupProcess`).
///
/// It is started with `posix_spawn`, never by `fork` of this process: a forked copy of a threaded
/// Swift process may inherit locks held by threads that do not exist in the child. The child gets
/// `descriptors` as 3, 4, ..., moved there by the spawn's file actions (which also clear their
/// close-on-exec flags); every other descriptor of this process is close-on-exec.
enum ChildProcess {
    /// Where the passed descriptors start, as with systemd socket activation.
    static let firstDescriptor: CInt = 3

    /// The name children are started under, as `ps` shows it: this process's own.
    static let commandName = CommandLine.arguments.first ?? "swiftserve"

    /// The signals this process may have set to be ignored.
    private static let signalsToReset: [CInt] = [
        SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU, SIGWINCH, SIGPIPE, SIGCHLD,
    ]

    /// Starts `executable` with `arguments` after its name, passing `descriptors`; `blocking` are
    /// signals the child starts with blocked, every other signal has its default action.
    static func spawn(executable: String, arguments: [String], passing descriptors: [CInt], blocking: [CInt] = [])
        throws(ChildProcessError) -> pid_t
    {
        // Copies above the target numbers, so that no move overwrites a descriptor still to be moved.
        let sources = descriptors.map { fcntl($0, F_DUPFD_CLOEXEC, Self.firstDescriptor + CInt(descriptors.count)) }
        defer { sources.filter { $0 >= 0 }.forEach { _ = close($0) } }
        guard sources.allSatisfy({ $0 >= 0 }) else {
            throw ChildProcessError(reason: "cannot duplicate its descriptors: \(String(cString: strerror(errno)))")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, source) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, Self.firstDescriptor + CInt(index))
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // This process ignores the signals it hears through dispatch sources, and an ignored signal
        // stays ignored across exec: give the child the default actions.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in Self.signalsToReset { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in blocking { sigaddset(&mask, number) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([Self.commandName] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], environ)
        guard status == 0 else {
            throw ChildProcessError(reason: "posix_spawn of \(executable) failed: \(String(cString: strerror(status)))")
        }
        return pid
    }
}

/// A child process could not be started.
struct ChildProcessError: Error, CustomStringConvertible {
    var reason: String

    var description: String { self.reason }
}
