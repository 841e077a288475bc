import CSSGI

/// The C form of one request: an `ssgi_request`, its header array and every byte they point to,
/// in one allocation that lives until the application finishes the request.
final class RequestArena {
    private let memory: UnsafeMutableRawPointer
    /// The request as the application receives it.
    let request: UnsafePointer<ssgi_request>

    init(_ environment: RequestEnvironment) {
        let headerCount = environment.headers.count
        let headersOffset = MemoryLayout<ssgi_request>.stride
        let bytesOffset = headersOffset + headerCount * MemoryLayout<ssgi_header>.stride
        var byteCount = environment.requestMethod.utf8.count + environment.scriptName.utf8.count
        byteCount += environment.pathInfo.count + environment.queryString.utf8.count
        byteCount += environment.contentType.utf8.count + environment.contentLength.utf8.count
        byteCount += environment.serverName.utf8.count + environment.serverPort.utf8.count
        byteCount += environment.serverProtocol.utf8.count + environment.remoteAddr.utf8.count
        byteCount += environment.remotePort.utf8.count + environment.urlScheme.utf8.count
        byteCount += environment.requestURI.utf8.count
        for header in environment.headers {
            byteCount += header.name.utf8.count + header.value.utf8.count
        }

        self.memory = UnsafeMutableRawPointer.allocate(
            byteCount: bytesOffset + byteCount, alignment: MemoryLayout<ssgi_request>.alignment)
        var writer = ByteWriter(cursor: self.memory + bytesOffset)
        let headers = (self.memory + headersOffset).bindMemory(to: ssgi_header.self, capacity: headerCount)
        for (index, header) in environment.headers.enumerated() {
            (headers + index).initialize(
                to: ssgi_header(name: writer.append(header.name.utf8), value: writer.append(header.value.utf8)))
        }
        let request = self.memory.bindMemory(to: ssgi_request.self, capacity: 1)
        request.initialize(
            to: ssgi_request(
                struct_size: MemoryLayout<ssgi_request>.size,
                request_method: writer.append(environment.requestMethod.utf8),
                script_name: writer.append(environment.scriptName.utf8),
                path_info: writer.append(environment.pathInfo),
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
        self.request = UnsafePointer(request)
    }

    deinit {
        self.memory.deallocate()
    }
}

/// Appends byte runs at a cursor and returns each as an `ssgi_bytes`.
private struct ByteWriter {
    var cursor: UnsafeMutableRawPointer

    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ssgi_bytes {
        let start = self.cursor.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        UnsafeMutableRawBufferPointer(start: self.cursor, count: count).copyBytes(from: bytes)
        self.cursor += count
        return ssgi_bytes(data: start, length: count)
    }
}
