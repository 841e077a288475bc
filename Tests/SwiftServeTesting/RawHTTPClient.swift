import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A response as read off the wire by `RawHTTPClient`.
public struct RawResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The first value of header `name`, any case.
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: self.body, as: UTF8.self) }
}

/// A plain socket client that writes exactly the bytes a test gives it and reads responses
/// byte by byte off the wire: for what curl will not send (pipelining, malformed requests,
/// half-sent heads) and to see exactly what the server sends.
public final class RawHTTPClient {
    private var socket: Int32
    private var buffer: [UInt8] = []
    public private(set) var peerClosed = false

    /// Connects to `host` (an IPv4 or IPv6 address, 127.0.0.1 unless given) on `port`, from the
    /// local address `source` when given (any address of 127.0.0.0/8 is this machine's, which
    /// lets a test be a client the server does not trust); reads wait at most `timeout` seconds.
    /// `receiveBuffer` shrinks the socket's receive buffer, for a client that reads slowly.
    public init(
        port: Int, host: String = "127.0.0.1", from source: String? = nil, receiveBuffer: Int? = nil,
        timeout: TimeInterval = 10
    ) throws {
        let family = host.contains(":") ? AF_INET6 : AF_INET
        self.socket = Glibc.socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard self.socket >= 0 else { throw RawHTTPClientError.system("socket", errno) }
        do {
            if var size = receiveBuffer {
                setsockopt(self.socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            if let source {
                try Self.withAddress(source, port: 0) { address, length in
                    Glibc.bind(self.socket, address, length) == 0 ? nil : ("bind", errno)
                }
            }
            try Self.withAddress(host, port: port) { address, length in
                Glibc.connect(self.socket, address, length) == 0 ? nil : ("connect", errno)
            }
        } catch {
            Glibc.close(self.socket)
            throw error
        }
        self.setReadTimeout(timeout)
    }

    /// Connects to the unix socket at `path`.
    public init(unixSocket path: String, timeout: TimeInterval = 10) throws {
        self.socket = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard self.socket >= 0 else { throw RawHTTPClientError.system("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(self.socket)
            throw RawHTTPClientError.malformed("unix socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let result = Self.withSocketAddress(address) { Glibc.connect(self.socket, $0, $1) }
        guard result == 0 else {
            let code = errno
            Glibc.close(self.socket)
            throw RawHTTPClientError.system("connect", code)
        }
        self.setReadTimeout(timeout)
    }

    /// Calls `body` with `host`:`port` as a socket address; `body` returns the failed call and errno, if any.
    private static func withAddress(
        _ host: String, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> (String, Int32)?
    ) throws {
        let failure: (String, Int32)?
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                throw RawHTTPClientError.malformed("not an IP address: \(host)")
            }
            failure = Self.withSocketAddress(address, body)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                throw RawHTTPClientError.malformed("not an IP address: \(host)")
            }
            failure = Self.withSocketAddress(address, body)
        }
        if let (call, code) = failure { throw RawHTTPClientError.system(call, code) }
    }

    /// Calls `body` with `address` seen as a `sockaddr` of its size.
    private static func withSocketAddress<Address, Result>(
        _ address: Address, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    deinit {
        if self.socket >= 0 { Glibc.close(self.socket) }
    }

    /// Changes how long a read may wait.
    public func setReadTimeout(_ timeout: TimeInterval) {
        var value = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        setsockopt(self.socket, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawHTTPClientError.system("send", errno) }
            offset += sent
        }
    }

    /// Sends a string as UTF-8.
    public func send(_ text: String) throws {
        try self.send(Array(text.utf8))
    }

    /// Closes the sending side of the connection (a TCP half-close): the server reads the end
    /// of the stream, and the client can still read what the server sends.
    public func shutdownWrite() throws {
        guard Glibc.shutdown(self.socket, Int32(SHUT_WR)) == 0 else {
            throw RawHTTPClientError.system("shutdown", errno)
        }
    }

    /// Resets the connection: a close with a zero linger time, which sends a TCP RST instead of a FIN.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(self.socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        Glibc.close(self.socket)
        self.socket = -1
    }

    /// Sends as much of `bytes` as the socket takes without blocking, for up to `duration`
    /// seconds; returns how many bytes it took. Shows how far back-pressure lets a client get.
    public func sendUntilBlocked(_ bytes: [UInt8], duration: TimeInterval) -> Int {
        let flags = fcntl(self.socket, F_GETFL)
        _ = fcntl(self.socket, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(self.socket, F_SETFL, flags) }
        var offset = 0
        let deadline = Date().addingTimeInterval(duration)
        while offset < bytes.count, Date() < deadline {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.socket, $0.baseAddress, min($0.count, 65536), Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                Thread.sleep(forTimeInterval: 0.01)
            } else {
                break
            }
        }
        return offset
    }

    /// Reads one response; `forHead` says it answers a HEAD request (no body follows).
    /// `statusLine` is its status line when the caller has read it already (with `readLine`).
    public func readResponse(forHead: Bool = false, statusLine: String? = nil) throws -> RawResponse {
        var statusLine = try statusLine ?? self.readLine()
        var (status, reason) = try Self.parseStatusLine(statusLine)
        var headers: [(name: String, value: String)] = []
        while (100..<200).contains(status), status != 101 {
            // Skip interim responses, as a client does.
            while try !self.readLine().isEmpty {}
            statusLine = try self.readLine()
            (status, reason) = try Self.parseStatusLine(statusLine)
        }
        while true {
            let line = try self.readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw RawHTTPClientError.malformed(line) }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(status: status, reason: reason, headers: headers, body: [])
        if forHead || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try self.readLine()
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw RawHTTPClientError.malformed(sizeLine)
                }
                if size == 0 {
                    while try !self.readLine().isEmpty {}
                    break
                }
                response.body += try self.readBytes(size)
                _ = try self.readLine()
            }
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            response.body = try self.readBytes(length)
        } else {
            response.body = try self.readUntilClosed()
        }
        return response
    }

    /// Reads a line ending in CRLF, without the CRLF.
    public func readLine() throws -> String {
        while true {
            if let index = self.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(self.buffer[..<index])
                self.buffer.removeSubrange(...index)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard try self.fill() else { throw RawHTTPClientError.closed(partial: self.buffer) }
        }
    }

    /// Reads exactly `count` bytes.
    public func readBytes(_ count: Int) throws -> [UInt8] {
        while self.buffer.count < count {
            guard try self.fill() else { throw RawHTTPClientError.closed(partial: self.buffer) }
        }
        let bytes = Array(self.buffer[..<count])
        self.buffer.removeFirst(count)
        return bytes
    }

    /// Reads until the server closes the connection.
    public func readUntilClosed() throws -> [UInt8] {
        while try self.fill() {}
        defer { self.buffer = [] }
        return self.buffer
    }

    /// Whether the server closes the connection within the read timeout without sending
    /// anything more; false when bytes arrive or the wait times out.
    public func serverCloses() -> Bool {
        guard self.buffer.isEmpty else { return false }
        do {
            return try !self.fill() && self.buffer.isEmpty
        } catch {
            return false
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { Glibc.recv(self.socket, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            self.buffer += chunk[..<count]
            return true
        }
        if count == 0 || errno == ECONNRESET {
            self.peerClosed = true
            return false
        }
        throw RawHTTPClientError.system("recv", errno)
    }

    private static func parseStatusLine(_ line: String) throws -> (Int, String) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw RawHTTPClientError.malformed(line)
        }
        return (status, parts.count > 2 ? String(parts[2]) : "")
    }
}

/// What went wrong talking to the server.
public enum RawHTTPClientError: Error, CustomStringConvertible {
    case system(String, Int32)
    case closed(partial: [UInt8])
    case malformed(String)

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .closed(let partial): "the server closed the connection (\(partial.count) unread bytes)"
        case .malformed(let line): "malformed response line: \(line)"
        }
    }
}
