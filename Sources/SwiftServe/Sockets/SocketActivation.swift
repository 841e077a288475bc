import Glibc

/// systemd socket activation (`sd_listen_fds(3)`): the service manager binds the sockets of a
/// `.socket` unit and starts the server with them as descriptors 3, 4, ..., their count in
/// `LISTEN_FDS` and the process they are meant for in `LISTEN_PID`.
///
/// Unlike `sd_listen_fds`, which quietly ignores sockets meant for another process, a mismatch is
/// an error here: a server that falls back to its default address when its unit gave it sockets
/// would listen where nobody looks.
public enum SocketActivation {
    /// The first descriptor passed (`SD_LISTEN_FDS_START`).
    public static let firstDescriptor: CInt = 3

    /// The sockets passed to this process, or nil when `LISTEN_FDS` is not set (or is 0). The
    /// variables are unset either way, so that workers and the application's own children do not
    /// take them for theirs.
    public static func takeSockets() throws(SocketActivationError) -> [ListenSocket]? {
        let count = getenv("LISTEN_FDS").map { String(cString: $0) }
        let pid = getenv("LISTEN_PID").map { String(cString: $0) }
        for name in ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
            unsetenv(name)
        }
        guard let descriptors = try Self.descriptors(listenFDs: count, listenPID: pid, processID: getpid()) else {
            return nil
        }
        do {
            return try descriptors.map { descriptor throws(ListenSocketError) in
                try ListenSocket.inherited(descriptor: descriptor, origin: "LISTEN_FDS")
            }
        } catch {
            throw .unusableDescriptor(error, count: descriptors.count)
        }
    }

    /// The descriptors that `LISTEN_FDS` and `LISTEN_PID` pass to process `processID`.
    static func descriptors(listenFDs: String?, listenPID: String?, processID: pid_t) throws(SocketActivationError)
        -> Range<CInt>?
    {
        guard let listenFDs else { return nil }
        guard let count = CInt(listenFDs), count >= 0, count <= 4096 else { throw .malformedCount(listenFDs) }
        guard count > 0 else { return nil }
        guard let listenPID else { throw .missingProcessID }
        guard pid_t(listenPID) == processID else { throw .otherProcess(listenPID: listenPID, processID: processID) }
        return Self.firstDescriptor..<(Self.firstDescriptor + count)
    }
}

/// The environment says sockets were passed, but they cannot be used.
public enum SocketActivationError: Error, Equatable, CustomStringConvertible {
    case malformedCount(String)
    case missingProcessID
    case otherProcess(listenPID: String, processID: pid_t)
    case unusableDescriptor(ListenSocketError, count: Int)

    public var description: String {
        switch self {
        case .malformedCount(let value):
            "LISTEN_FDS is '\(value)', not a number of sockets: it is set by systemd socket activation"
        case .missingProcessID:
            "LISTEN_FDS is set but LISTEN_PID is not: socket activation names the process the sockets are for"
        case .otherProcess(let listenPID, let processID):
            "LISTEN_PID is \(listenPID) but this process is \(processID): the sockets in LISTEN_FDS were passed to another process (start swiftserve directly from the unit, without a shell that forks)"
        case .unusableDescriptor(let error, let count):
            "\(error) (LISTEN_FDS passes \(count) socket\(count == 1 ? "" : "s") from descriptor 3): check the ListenStream= lines of the .socket unit"
        }
    }
}
