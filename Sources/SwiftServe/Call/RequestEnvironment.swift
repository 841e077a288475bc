import CSSGI
import SSGI

/// The CGI values of one request, worked out from its description and its connection as the
/// specification's "The environ" section says, and laid out in the connection's arena as the
/// `ssgi_request` the application receives.
///
/// One walk over the fields finds what the values need (Host, Content-Type, Content-Length, the
/// forwarding fields, the names with `_` to drop), and one more copies the kept fields: each value
/// is a run of the request's own bytes, copied once, with no string in between.
enum RequestEnvironment {
    /// What the walk over the fields found.
    private struct Fields {
        var host: Int?
        var contentType: Int?
        var contentTypeCount = 0
        var contentLength: Int?
        var hasForwarding = false
        var dropped = 0
        var byteCount = 0
    }

    /// Lays `request` out in `arena`; `forwardedBy` is given when the connection comes from a
    /// trusted proxy, whose forwarding fields then say who the client is and what it asked for
    /// (`ForwardedHeaders`). Returns the request, valid until the arena's next fill, and the
    /// names of the fields dropped because they contain `_` (SPEC §6.3), for the debug log.
    static func fill<Request: RequestDescription>(
        _ arena: RequestArena, from request: Request, connection: ConnectionInfo, flags: UInt32,
        forwardedBy trusted: TrustedProxies? = nil
    ) -> (request: UnsafePointer<ssgi_request>, droppedNames: [String]) {
        var fields = Fields()
        for index in 0..<request.fieldCount {
            let name = request.name(at: index)
            if name.contains(UInt8(ascii: "_")) {
                fields.dropped += 1
                continue
            }
            fields.byteCount += name.count + request.value(at: index).count
            switch request.kind(at: index) {
            case .host where fields.host == nil: fields.host = index
            case .contentType:
                fields.contentTypeCount += 1
                if fields.contentType == nil { fields.contentType = index }
            case .contentLength where fields.contentLength == nil: fields.contentLength = index
            case .forwarded, .xForwardedFor, .xForwardedHost, .xForwardedProto: fields.hasForwarding = true
            default: break
            }
        }
        var droppedNames: [String] = []
        if fields.dropped > 0 {
            for index in 0..<request.fieldCount where request.name(at: index).contains(UInt8(ascii: "_")) {
                droppedNames.append(String(decoding: request.name(at: index), as: UTF8.self))
            }
        }

        var remoteAddr = connection.remoteAddr
        var remotePort = connection.remotePort
        var urlScheme = connection.urlScheme
        var forwardedHost: String?
        if let trusted, fields.hasForwarding {
            var forwarded = ForwardedHeaders()
            for index in 0..<request.fieldCount where request.kind(at: index).isForwarding {
                forwarded.consider(
                    name: String(decoding: request.name(at: index), as: UTF8.self),
                    value: String(decoding: request.value(at: index), as: UTF8.self))
            }
            let proxied = forwarded.resolve(trusting: trusted)
            if let address = proxied.remoteAddr {
                remoteAddr = address
                remotePort = proxied.remotePort ?? ""
            }
            urlScheme = proxied.urlScheme ?? urlScheme
            forwardedHost = proxied.host
        }
        // CONTENT_TYPE joins repeated fields, which is rare enough to cost an array.
        var joinedContentType: [UInt8]?
        if fields.contentTypeCount > 1 {
            var joined: [UInt8] = []
            for index in 0..<request.fieldCount where request.kind(at: index) == .contentType {
                if !request.name(at: index).contains(UInt8(ascii: "_")) {
                    if !joined.isEmpty { joined += ", ".utf8 }
                    joined += request.value(at: index)
                }
            }
            joinedContentType = joined
        }

        let target = request.target
        let parts = TargetParts(target)
        let byteCount =
            request.method.count + 3 * target.count + 2 * fields.byteCount + remoteAddr.utf8.count
            + remotePort.utf8.count + urlScheme.utf8.count + connection.serverName.utf8.count
            + connection.serverPort.utf8.count + (forwardedHost?.utf8.count ?? 0)
            + connection.tlsClientSubject.utf8.count + 16
        let request = arena.fill(headerCount: request.fieldCount - fields.dropped, byteCount: byteCount) { writer in
            for index in 0..<request.fieldCount where !request.name(at: index).contains(UInt8(ascii: "_")) {
                writer.appendHeader(request.name(at: index), request.value(at: index))
            }
            let pathInfo: ssgi_bytes
            switch parts.path {
            case .root: pathInfo = writer.appendBytes("/".utf8)
            case .range(let range):
                let path = target[range.lowerBound..<range.upperBound]
                pathInfo =
                    path.contains(UInt8(ascii: "%"))
                    ? writer.appendBytes(PercentEncoding.decodedBytes(path)) : writer.appendBytes(path)
            }
            // RFC 9112 §3.2.2: an absolute-form target's authority stands for Host.
            let serverName: ssgi_bytes
            let serverPort: ssgi_bytes
            if let forwardedHost {
                (serverName, serverPort) = Self.appendServer(
                    host: Array(forwardedHost.utf8), scheme: urlScheme, &writer)
            } else if let authority = parts.authority {
                (serverName, serverPort) = Self.appendServer(
                    host: target[authority.lowerBound..<authority.upperBound], scheme: urlScheme, &writer)
            } else if let host = fields.host, !request.value(at: host).isEmpty {
                (serverName, serverPort) = Self.appendServer(host: request.value(at: host), scheme: urlScheme, &writer)
            } else {
                serverName = writer.appendBytes(connection.serverName.utf8)
                serverPort = writer.appendBytes(connection.serverPort.utf8)
            }
            let contentType: ssgi_bytes
            if let joinedContentType {
                contentType = writer.appendBytes(joinedContentType)
            } else if let index = fields.contentType {
                contentType = writer.appendBytes(request.value(at: index))
            } else {
                contentType = writer.empty()
            }
            let bodyLength = request.bodyLength
            let contentLength =
                bodyLength >= 0 && fields.contentLength != nil
                ? writer.appendBytes(request.value(at: fields.contentLength!)) : writer.empty()
            return ssgi_request(
                struct_size: MemoryLayout<ssgi_request>.size,
                request_method: writer.appendBytes(request.method),
                script_name: writer.empty(),
                path_info: pathInfo,
                query_string: parts.query.map { writer.appendBytes(target[$0.lowerBound..<$0.upperBound]) }
                    ?? writer.empty(),
                content_type: contentType,
                content_length: contentLength,
                server_name: serverName,
                server_port: serverPort,
                server_protocol: writer.appendBytes(
                    (request.isHTTP2 ? "HTTP/2" : request.isHTTP10 ? "HTTP/1.0" : "HTTP/1.1").utf8),
                remote_addr: writer.appendBytes(remoteAddr.utf8),
                remote_port: writer.appendBytes(remotePort.utf8),
                url_scheme: writer.appendBytes(urlScheme.utf8),
                request_uri: writer.appendBytes(target),
                headers: writer.headers,
                header_count: writer.headerCount,
                body_length: bodyLength,
                flags: flags,
                tls_client_subject: connection.tlsClientSubject.isEmpty
                    ? writer.empty() : writer.appendBytes(connection.tlsClientSubject.utf8))
        }
        return (request, droppedNames)
    }

    /// SERVER_NAME and SERVER_PORT from `host[:port]`.
    private static func appendServer<Host: RandomAccessCollection<UInt8>>(
        host: Host, scheme: String, _ writer: inout ByteWriter
    ) -> (ssgi_bytes, ssgi_bytes) {
        let (name, port) = Self.split(host: host, scheme: scheme)
        switch port {
        case .given(let port): return (writer.appendBytes(name), writer.appendBytes(port))
        case .schemeDefault(let port): return (writer.appendBytes(name), writer.appendBytes(port.utf8))
        }
    }

    /// A port in `host[:port]`.
    enum Port<Bytes> {
        case given(Bytes)
        /// None given (or an empty one, RFC 3986 §3.2.3): the scheme's.
        case schemeDefault(String)
    }

    /// `host[:port]` or `[v6]:port`, split; without a port, the scheme's default port.
    static func split<Host: RandomAccessCollection<UInt8>>(host: Host, scheme: String) -> (
        name: Host.SubSequence, port: Port<Host.SubSequence>
    ) {
        let name: Host.SubSequence
        var port = host[host.endIndex...]
        if host.first == UInt8(ascii: "["), let close = host.firstIndex(of: UInt8(ascii: "]")) {
            let afterClose = host.index(after: close)
            name = host[..<afterClose]
            if afterClose < host.endIndex, host[afterClose] == UInt8(ascii: ":") {
                port = host[host.index(after: afterClose)...]
            }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            name = host[..<colon]
            port = host[host.index(after: colon)...]
        } else {
            name = host[...]
        }
        return (name, port.isEmpty ? .schemeDefault(scheme == "https" ? "443" : "80") : .given(port))
    }
}

/// Where PATH_INFO, QUERY_STRING and an authority lie in a request target: origin form `/p?q`,
/// absolute form `http://host/p?q` (its path and query, and its authority), the asterisk `*`,
/// CONNECT's `host:port` (the whole target is the path).
struct TargetParts {
    enum Path: Equatable {
        /// The target has no path (`http://host?x`): PATH_INFO is `/`.
        case root
        case range(Range<Int>)
    }

    var path: Path
    var query: Range<Int>?
    var authority: Range<Int>?

    init<Bytes: RandomAccessCollection<UInt8>>(_ target: Bytes) where Bytes.Index == Int {
        var start = target.startIndex
        self.authority = nil
        // Absolute form: a scheme, then `://` (origin form, by far the most common, starts with `/`).
        if target.first != UInt8(ascii: "/"), let colon = target.firstIndex(of: UInt8(ascii: ":")),
            target[colon...].starts(with: "://".utf8)
        {
            let authorityStart = colon + 3
            let authorityEnd =
                target[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }
                ?? target.endIndex
            if authorityEnd > authorityStart { self.authority = authorityStart..<authorityEnd }
            start = authorityEnd
            if start == target.endIndex || target[start] == UInt8(ascii: "?") {
                self.path = .root
                self.query = start < target.endIndex ? (start + 1)..<target.endIndex : nil
                return
            }
        }
        if let question = target[start...].firstIndex(of: UInt8(ascii: "?")) {
            self.path = .range(start..<question)
            self.query = (question + 1)..<target.endIndex
        } else {
            self.path = .range(start..<target.endIndex)
            self.query = nil
        }
    }
}

extension ByteWriter {
    /// Copies `bytes` into the arena: collections of the server's own types are specialized here,
    /// where they are known, and copied with one `memcpy` each.
    @inline(__always)
    mutating func appendBytes<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ssgi_bytes {
        if let appended = bytes.withContiguousStorageIfAvailable({ self.append(UnsafeRawBufferPointer($0)) }) {
            return appended
        }
        return Array(bytes).withUnsafeBytes { self.append($0) }
    }

    /// Adds a header field, its name and value copied.
    @inline(__always)
    mutating func appendHeader<Bytes: Collection<UInt8>>(_ name: Bytes, _ value: Bytes) {
        let name = self.appendBytes(name)
        let value = self.appendBytes(value)
        self.appendHeader(name, value)
    }
}
