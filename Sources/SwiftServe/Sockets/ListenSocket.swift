import Glibc
import NIOCore

/// A listening socket as a plain file descriptor: bound here from a `--bind` target, or inherited
/// from whoever started this process (systemd socket activation, or the master of a worker).
///
/// The master binds every socket once and passes the descriptors to its workers; every process
/// that holds one accepts from the same queue (`SocketAcceptor`), so connections wait in the
/// kernel's backlog while a worker is replaced rather than being refused.
public struct ListenSocket: Sendable {
    /// The open descriptor, with `FD_CLOEXEC` set.
    public let descriptor: CInt
    /// Where it listens, for the logs: `http://127.0.0.1:8888`, `http://[::1]:8888` or `unix:/run/app.sock`.
    public let address: String
    /// The socket file this process created, removed when the server stops; nil for TCP and for
    /// sockets that came from elsewhere.
    public let createdPath: String?
    /// Which file `createdPath` was when it was bound: only that file is removed, never one that
    /// a later server put in its place.
    let createdFile: FileIdentity?
    /// Whether every connection starts with a PROXY protocol header (`--bind proxy:...`).
    public private(set) var expectsProxyProtocol = false

    /// Whether its connections are served over TLS (`--certfile`; TCP sockets only).
    public private(set) var servesTLS = false

    /// Where it listens and how, for the logs: `http://127.0.0.1:9000 (PROXY protocol)`, or
    /// `https://...` over TLS.
    public var summary: String {
        let address = self.servesTLS ? "https://" + self.address.dropFirst("http://".count) : self.address
        return address + (self.expectsProxyProtocol ? " (PROXY protocol)" : "")
    }

    /// The same socket, marked as serving TLS when it is a TCP socket and `tls` is set.
    public func servingTLS(_ tls: Bool) -> ListenSocket {
        var socket = self
        socket.servesTLS = tls && self.address.hasPrefix("http://")
        return socket
    }

    /// The queue of connections not yet accepted, as long as Gunicorn's default.
    public static let backlog: CInt = 2048

    /// Binds and listens on `target`, with `SO_REUSEADDR`, as `ServerBootstrap.bind` would; a
    /// unix socket is created with the file-mode mask `umask` when given (`--umask`). A unix
    /// socket file on which a server still answers is refused; one left by a server that is gone
    /// is replaced.
    public static func bind(_ target: BindTarget, umask mask: mode_t? = nil, proxyProtocol: Bool = false)
        throws(ServerError) -> ListenSocket
    {
        let address: SocketAddress
        do {
            switch target {
            case .tcp(let host, let port):
                address = try SocketAddress.makeAddressResolvingHost(host, port: port)
            case .unix(let path):
                address = try SocketAddress(unixDomainSocketPath: path)
            }
        } catch {
            throw .cannotBind(target, reason: "\(error)")
        }
        if case .unix(let path) = target {
            try Self.removeStaleSocketFile(at: path)
        }
        let descriptor = socket(address.protocol.rawValue, Self.streamType | Self.closeOnExecType, 0)
        guard descriptor >= 0 else { throw .cannotBind(target, reason: Self.lastError("socket")) }
        var one: CInt = 1
        // A unix socket file's mode comes from the process's umask when bind creates it.
        let previousMask = mask.map { umask($0) }
        let bound =
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size)) == 0
            && address.withSockAddr { Glibc.bind(descriptor, $0, socklen_t($1)) } == 0
            && listen(descriptor, Self.backlog) == 0
        previousMask.map { _ = umask($0) }
        guard bound else {
            let reason = Self.bindFailure(target, errno: errno)
            Glibc.close(descriptor)
            throw .cannotBind(target, reason: reason)
        }
        let createdPath: String?
        if case .unix(let path) = target { createdPath = path } else { createdPath = nil }
        var socket = ListenSocket(
            descriptor: descriptor, address: Self.describe(descriptor), createdPath: createdPath,
            createdFile: createdPath.flatMap(FileIdentity.init(path:)))
        socket.expectsProxyProtocol = proxyProtocol
        return socket
    }

    /// Binds every listener `configuration` names: the plain ones, then the `proxy:` ones, the
    /// order in which a worker finds them. When one cannot be bound, those bound before it are
    /// closed.
    public static func bindAll(_ configuration: ServerConfiguration) throws(ServerError) -> [ListenSocket] {
        var sockets: [ListenSocket] = []
        let umask = configuration.unixSocketUmask
        do {
            for target in configuration.binds {
                sockets.append(try Self.bind(target, umask: umask))
            }
            for target in configuration.proxyProtocolBinds {
                sockets.append(try Self.bind(target, umask: umask, proxyProtocol: true))
            }
        } catch {
            sockets.forEach { $0.close() }
            throw error
        }
        return sockets.map { $0.servingTLS(configuration.tls != nil) }
    }

    /// The same socket, for connections that start with a PROXY protocol header: how a worker
    /// marks the inherited descriptors of its `proxy:` binds.
    public func expectingProxyProtocol() -> ListenSocket {
        var socket = self
        socket.expectsProxyProtocol = true
        return socket
    }

    /// Takes over descriptor `descriptor`, which must be a listening stream socket; `origin` names
    /// where it came from in the error messages (`LISTEN_FDS`, the master).
    public static func inherited(descriptor: CInt, origin: String) throws(ListenSocketError) -> ListenSocket {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .notOpen(descriptor: descriptor, origin: origin) }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(descriptor: descriptor, origin: origin) }
        guard Self.intOption(descriptor, SO_TYPE) == Self.streamType, Self.intOption(descriptor, SO_ACCEPTCONN) == 1
        else { throw .notListening(descriptor: descriptor, origin: origin) }
        _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
        return ListenSocket(
            descriptor: descriptor, address: Self.describe(descriptor), createdPath: nil, createdFile: nil)
    }

    /// Closes this process's descriptor; other processes that hold the socket keep listening on it.
    public func close() {
        _ = Glibc.close(self.descriptor)
    }

    /// Removes the socket file this process created, once no process serves on it any more.
    public func removeCreatedFile() {
        guard let path = self.createdPath, let file = self.createdFile else { return }
        Self.removeSocketFile(at: path, ifStill: file)
    }

    /// Removes the socket file at `path` if it is still `file` and nothing answers on it: a
    /// server that took the path over once this one stopped listening keeps its socket, even when
    /// the file system gave its file the old one's inode number again (tmpfs does, in `/run`).
    static func removeSocketFile(at path: String, ifStill file: FileIdentity) {
        guard FileIdentity(path: path) == file, case .refused = Self.probe(path) else { return }
        _ = unlink(path)
    }

    private static let streamType = CInt(SOCK_STREAM.rawValue)
    private static let closeOnExecType = CInt(SOCK_CLOEXEC.rawValue)

    /// Removes a socket file left by an earlier run, as `cleanupExistingSocketFile` does, once a
    /// connection to it is refused: nothing listens on it any more. A socket on which a server
    /// answers is left to it (binding over it would cut that server off, and remove its file when
    /// this one stops), and a file that is not a socket is never removed.
    private static func removeStaleSocketFile(at path: String) throws(ServerError) {
        let target = BindTarget.unix(path: path)
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw .cannotBind(
                target, reason: "the file exists and is not a socket: remove it, or choose another --bind")
        }
        switch Self.probe(path) {
        case .refused:
            _ = unlink(path)
        case .gone:
            break
        case .answering:
            throw .cannotBind(
                target, reason: "a server is answering on it: stop that server first, or choose another --bind")
        case .unknown(let reason):
            throw .cannotBind(
                target, reason: "cannot tell whether a server answers on it (\(reason)): remove the file if none does")
        }
    }

    /// What a connection to the unix socket at `path` comes to.
    private enum Probe {
        /// A server accepts connections on it (or its queue is full).
        case answering
        /// Nothing listens on it: the file is left over.
        case refused
        /// There is no such file.
        case gone
        case unknown(String)
    }

    /// Connects to the unix socket at `path` without waiting, and hangs up.
    private static func probe(_ path: String) -> Probe {
        guard let address = try? SocketAddress(unixDomainSocketPath: path) else { return .unknown("too long a path") }
        let probe = socket(AF_UNIX, Self.streamType | Self.closeOnExecType | CInt(SOCK_NONBLOCK.rawValue), 0)
        guard probe >= 0 else { return .unknown(Self.lastError("socket")) }
        defer { Glibc.close(probe) }
        let connected = address.withSockAddr { Glibc.connect(probe, $0, socklen_t($1)) } == 0
        switch connected ? 0 : errno {
        case 0, EAGAIN, EINPROGRESS: return .answering
        case ECONNREFUSED: return .refused
        case ENOENT: return .gone
        case let error: return .unknown(Self.lastError("connect", error))
        }
    }

    /// Why `bind` or `listen` failed on `target`, with what to do about it.
    private static func bindFailure(_ target: BindTarget, errno error: CInt) -> String {
        let reason = Self.lastError("bind", error)
        switch (error, target) {
        case (ENOENT, .unix(let path)), (ENOTDIR, .unix(let path)):
            return
                "\(reason): the folder '\(Self.folder(of: path))' does not exist: create it first (install -d, or RuntimeDirectory= under systemd)"
        case (EACCES, .unix(let path)):
            return "\(reason): this user may not create files in '\(Self.folder(of: path))'"
        case (EACCES, .tcp(_, let port)) where port < 1024:
            return "\(reason): ports below 1024 need root (start as root with --user, or use socket activation)"
        case (EADDRINUSE, _):
            return "\(reason): choose another --bind, or stop what holds it"
        default:
            return reason
        }
    }

    /// The folder a socket file goes in: `/run/myapp` for `/run/myapp/app.sock`.
    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func intOption(_ descriptor: CInt, _ name: CInt) -> CInt? {
        var value: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        return getsockopt(descriptor, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
    }

    /// The local address, from `getsockname`.
    private static func describe(_ descriptor: CInt) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return "descriptor \(descriptor)" }
        let address: SocketAddress
        switch CInt(storage.ss_family) {
        case AF_INET:
            address = withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in.self)) }
        case AF_INET6:
            address = withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in6.self)) }
        case AF_UNIX:
            address = withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_un.self)) }
        default:
            return "descriptor \(descriptor)"
        }
        switch address {
        case .v4: return "http://\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .v6: return "http://[\(address.ipAddress ?? "?")]:\(address.port ?? 0)"
        case .unixDomainSocket: return "unix:\(address.pathname ?? "?")"
        }
    }

    private static func lastError(_ call: String, _ error: CInt = errno) -> String {
        "\(call) failed: \(String(cString: strerror(error)))"
    }
}

/// A descriptor handed to this process is not a socket it can accept on.
public enum ListenSocketError: Error, Equatable, CustomStringConvertible {
    case notOpen(descriptor: CInt, origin: String)
    case notASocket(descriptor: CInt, origin: String)
    case notListening(descriptor: CInt, origin: String)

    public var description: String {
        switch self {
        case .notOpen(let descriptor, let origin):
            "descriptor \(descriptor) from \(origin) is not open"
        case .notASocket(let descriptor, let origin):
            "descriptor \(descriptor) from \(origin) is not a socket"
        case .notListening(let descriptor, let origin):
            "descriptor \(descriptor) from \(origin) is not a listening stream socket"
        }
    }
}
