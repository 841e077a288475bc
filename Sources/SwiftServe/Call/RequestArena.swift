import CSSGI

/// The C form of a request: an `ssgi_request`, its header array and every byte they point to,
/// in one block of memory.
///
/// A connection keeps one arena and refills it for each of its requests, so that a request costs
/// no allocation once the block is large enough: the connection serves one request at a time, and
/// the specification ends the validity of every pointer in the request at `finish`, before the
/// next request is read. Each request's call keeps the arena alive until that `finish`.
final class RequestArena {
    private var memory: UnsafeMutableRawPointer?
    private var capacity = 0

    init() {}

    /// Lays `environment` out as an `ssgi_request`; the result is valid until the next `fill`.
    func fill(_ environment: RequestEnvironment) -> UnsafePointer<ssgi_request> {
        let headerCount = environment.headers.count
        let headersOffset = MemoryLayout<ssgi_request>.stride
        let bytesOffset = headersOffset + headerCount * MemoryLayout<ssgi_header>.stride
        var byteCount = environment.requestMethod.utf8.count + environment.scriptName.utf8.count
        switch environment.pathInfoBytes {
        case .asSent(let path): byteCount += path.utf8.count
        case .decoded(let bytes): byteCount += bytes.count
        }
        byteCount += environment.queryString.utf8.count
        byteCount += environment.contentType.utf8.count + environment.contentLength.utf8.count
        byteCount += environment.serverName.utf8.count + environment.serverPort.utf8.count
        byteCount += environment.serverProtocol.utf8.count + environment.remoteAddr.utf8.count
        byteCount += environment.remotePort.utf8.count + environment.urlScheme.utf8.count
        byteCount += environment.requestURI.utf8.count
        for header in environment.headers {
            byteCount += header.name.utf8.count + header.value.utf8.count
        }

        let memory = self.reserve(bytesOffset + byteCount)
        var writer = ByteWriter(cursor: memory + bytesOffset)
        let headers = (memory + headersOffset).bindMemory(to: ssgi_header.self, capacity: headerCount)
        for (index, header) in environment.headers.enumerated() {
            (headers + index).initialize(
                to: ssgi_header(name: writer.append(header.name.utf8), value: writer.append(header.value.utf8)))
        }
        let pathInfo: ssgi_bytes
        switch environment.pathInfoBytes {
        case .asSent(let path): pathInfo = writer.append(path.utf8)
        case .decoded(let bytes): pathInfo = writer.append(bytes)
        }
        let request = memory.bindMemory(to: ssgi_request.self, capacity: 1)
        request.initialize(
            to: ssgi_request(
                struct_size: MemoryLayout<ssgi_request>.size,
                request_method: writer.append(environment.requestMethod.utf8),
                script_name: writer.append(environment.scriptName.utf8),
                path_info: pathInfo,
                query_string: writer.append(environment.queryString.utf8),
                content_type: writer.append(environment.contentType.utf8),
                content_length: writer.append(environment.contentLength.utf8),
                server_name: writer.append(environment.serverName.utf8),
                server_port: writer.append(environment.serverPort.utf8),
                server_protocol: writer.append(environment.serverProtocol.utf8),
                remote_addr: writer.append(environment.remoteAddr.utf8),
                remote_port: writer.append(environment.remotePort.utf8),
                url_scheme: writer.append(environment.urlScheme.utf8),
                request_uri: writer.append(environment.requestURI.utf8),
                headers: headerCount > 0 ? UnsafePointer(headers) : nil,
                header_count: headerCount,
                body_length: environment.bodyLength,
                flags: environment.flags))
        return UnsafePointer(request)
    }

    /// The block, at least `byteCount` bytes long; grown to the next power of two when too small.
    private func reserve(_ byteCount: Int) -> UnsafeMutableRawPointer {
        if let memory = self.memory, byteCount <= self.capacity { return memory }
        self.memory?.deallocate()
        let capacity = max(1024, 1 << (Int.bitWidth - (byteCount - 1).leadingZeroBitCount))
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: capacity, alignment: MemoryLayout<ssgi_request>.alignment)
        self.memory = memory
        self.capacity = capacity
        return memory
    }

    deinit {
        self.memory?.deallocate()
    }
}

/// Appends byte runs at a cursor and returns each as an `ssgi_bytes`.
private struct ByteWriter {
    var cursor: UnsafeMutableRawPointer

    /// Copies contiguous bytes (an array, a native string's UTF-8) with one `memcpy`; bytes
    /// stored otherwise are copied one by one.
    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ssgi_bytes {
        bytes.withContiguousStorageIfAvailable { self.append(UnsafeRawBufferPointer($0)) }
            ?? self.appendEach(bytes)
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) -> ssgi_bytes {
        let start = self.cursor.assumingMemoryBound(to: UInt8.self)
        if let base = bytes.baseAddress, bytes.count > 0 {
            self.cursor.copyMemory(from: base, byteCount: bytes.count)
        }
        self.cursor += bytes.count
        return ssgi_bytes(data: start, length: bytes.count)
    }

    private mutating func appendEach<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ssgi_bytes {
        let start = self.cursor.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        UnsafeMutableRawBufferPointer(start: self.cursor, count: count).copyBytes(from: bytes)
        self.cursor += count
        return ssgi_bytes(data: start, length: count)
    }
}
