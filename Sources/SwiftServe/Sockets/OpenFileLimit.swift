import Glibc
import Logging

/// The process's limit on open file descriptors, which caps connections before
/// `--worker-connections` does when it is lower: many systems start processes with a soft limit
/// of 1024 and a much higher hard limit.
enum OpenFileLimit {
    /// Descriptors kept for what is not a connection: listeners, logs, the application's own files.
    static let reserve = 64

    /// Raises the soft limit, up to the hard limit, so that `connections` fit; warns when they do not.
    static func raise(toServe connections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = rlim_t(connections + Self.reserve)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = min(wanted, limit.rlim_max)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < wanted {
            logger.warning(
                "the open-file limit (\(limit.rlim_cur)) is below --worker-connections \(connections) + \(Self.reserve): raise it (ulimit -n, LimitNOFILE=) or lower --worker-connections"
            )
        }
    }
}
