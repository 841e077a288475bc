import CSSGI

/// The application the fuzzer serves, written against the C ABI alone and run inline, so that a
/// whole request completes inside one `writeInbound`. For every request it checks what the server
/// promises an application (docs/SPEC.md §6 and §14.1) and traps when a promise is broken, reads
/// the whole body and checks it is exactly as long as declared, then answers in one of several
/// ways chosen by the path, so that the response side runs on fuzzed data too:
///
/// - `/c...`: a chunked body in several writes;
/// - `/l...`: a declared Content-Length;
/// - `/s...`: a Content-Length it falls short of (the server must close);
/// - `/e...`: a failure before the response (the server answers 500);
/// - `/h...`: the value of the request's `X-Echo` header as a response header (refused when it
///   breaks the header rules, which the server must report, not crash on);
/// - anything else: a single write.
enum FuzzApplication {
    /// The entry point, as a plugin's would be.
    static func entryPoint() -> UnsafeRawPointer? {
        UnsafeRawPointer(descriptor)
    }

    nonisolated(unsafe) private static let descriptor: UnsafeMutablePointer<ssgi_app> = {
        let descriptor = UnsafeMutablePointer<ssgi_app>.allocate(capacity: 1)
        descriptor.initialize(
            to: ssgi_app(
                magic: SSGI_MAGIC, abi_major: UInt16(SSGI_ABI_MAJOR), abi_minor: UInt16(SSGI_ABI_MINOR),
                struct_size: MemoryLayout<ssgi_app>.size, name: name, sdk_version: name, compiler: name,
                execution: UInt32(SSGI_EXECUTION_INLINE), context: nil, startup: nil, handle: handle, shutdown: nil))
        return descriptor
    }()

    nonisolated(unsafe) private static let name: UnsafePointer<CChar> = {
        let text = Array("fuzz".utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: text.count)
        pointer.initialize(from: text, count: text.count)
        return UnsafePointer(pointer)
    }()
}

/// One request's state while its body is read.
private final class Exchange {
    let call: OpaquePointer
    let ops: UnsafePointer<ssgi_server_ops>
    let declaredLength: Int64
    let reply: UInt8
    let echo: [UInt8]?
    var received: Int64 = 0
    var checksum: UInt64 = 0
    /// Whether `pump` is on the stack: a `done` called synchronously from `read` only records.
    var pumping = false
    var pendingRead = false
    var outcome: Int32?

    init(call: OpaquePointer, ops: UnsafePointer<ssgi_server_ops>, request: ssgi_request) {
        self.call = call
        self.ops = ops
        self.declaredLength = request.body_length
        let path = bytes(request.path_info)
        self.reply = path.count > 1 ? path[1] : 0
        self.echo = headers(request).first { equalsIgnoringCase($0.name, "x-echo") }?.value
    }

    /// Reads until the body ends, without recursing when the server completes reads at once.
    func pump() {
        self.pumping = true
        defer { self.pumping = false }
        while self.outcome == nil, !self.pendingRead {
            self.pendingRead = true
            let status = self.ops.pointee.read(
                self.call, 512, readDone, Unmanaged.passUnretained(self).toOpaque())
            guard status == SSGI_OK else {
                self.pendingRead = false
                self.outcome = status
                break
            }
        }
        if let outcome = self.outcome { self.respond(outcome) }
    }

    func received(_ chunk: ssgi_bytes, status: Int32) {
        self.pendingRead = false
        if status != SSGI_OK {
            self.outcome = status
        } else if chunk.length == 0 {
            // The body ended: it must be exactly as long as the server said it would be.
            precondition(
                self.declaredLength < 0 || self.received == self.declaredLength,
                "body of \(self.received) bytes where body_length said \(self.declaredLength)")
            self.outcome = Int32(SSGI_OK)
        } else {
            precondition(chunk.data != nil, "a non-empty read without data")
            self.received += Int64(chunk.length)
            for byte in UnsafeBufferPointer(start: chunk.data, count: chunk.length) {
                self.checksum = (self.checksum &* 31) &+ UInt64(byte)
            }
        }
        if !self.pumping { self.pump() }
    }

    private func respond(_ outcome: Int32) {
        let ops = self.ops.pointee
        guard outcome == SSGI_OK, self.reply != UInt8(ascii: "e") else {
            self.finish(failed: true)
            return
        }
        let body = Array("\(self.received) \(self.checksum)\n".utf8)
        var fields: [([UInt8], [UInt8])] = [(Array("Content-Type".utf8), Array("text/plain".utf8))]
        switch self.reply {
        case UInt8(ascii: "l"): fields.append((Array("Content-Length".utf8), Array(String(body.count).utf8)))
        case UInt8(ascii: "s"): fields.append((Array("Content-Length".utf8), Array(String(body.count + 10).utf8)))
        case UInt8(ascii: "h"): fields.append((Array("X-Echo".utf8), self.echo ?? []))
        default: break
        }
        let started = withHeaders(fields) { headers in
            Array("200 OK".utf8).withUnsafeBufferPointer { status in
                ops.start_response(
                    self.call, ssgi_bytes(data: status.baseAddress, length: status.count), headers.baseAddress,
                    headers.count, 0)
            }
        }
        guard started == SSGI_OK else {
            // Only the echoed header may be refused, and only with a rule's code.
            precondition(self.reply == UInt8(ascii: "h"), "start_response refused with \(started)")
            precondition(started == SSGI_E_INVALID_HEADER || started == SSGI_E_HOP_BY_HOP, "code \(started)")
            self.finish(failed: true)
            return
        }
        let pieces = self.reply == UInt8(ascii: "c") ? [body, body, []] : [body]
        for piece in pieces {
            let status = piece.withUnsafeBufferPointer {
                ops.write(self.call, ssgi_bytes(data: $0.baseAddress, length: $0.count), nil, nil)
            }
            precondition(status == SSGI_OK || status == SSGI_E_DISCONNECTED, "write refused with \(status)")
        }
        self.finish(failed: false)
    }

    private func finish(failed: Bool) {
        let outcome = Int32(failed ? SSGI_FINISH_ERROR : SSGI_FINISH_OK)
        let status = self.ops.pointee.finish(self.call, outcome, cleanupDone, Unmanaged.passRetained(self).toOpaque())
        precondition(status == SSGI_OK, "finish refused with \(status)")
        Unmanaged.passUnretained(self).release()
    }
}

private let handle:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<ssgi_request>?, OpaquePointer?, UnsafePointer<ssgi_server_ops>?
    ) -> Void = {
        _, request, call, ops in
        let request = request!.pointee
        checkPromises(request)
        let exchange = Exchange(call: call!, ops: ops!, request: request)
        // Held until finish; the cleanup's own reference is released when it runs.
        _ = Unmanaged.passRetained(exchange)
        exchange.pump()
    }

private let readDone: ssgi_read_done = { context, chunk, status in
    Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().received(chunk, status: status)
}

private let cleanupDone: ssgi_cleanup = { context, _ in
    Unmanaged<Exchange>.fromOpaque(context!).release()
}

/// What docs/SPEC.md promises about every request an application receives.
private func checkPromises(_ request: ssgi_request) {
    precondition(request.struct_size == MemoryLayout<ssgi_request>.size)
    let method = bytes(request.request_method)
    precondition(!method.isEmpty && method.allSatisfy(isTokenByte), "method \(method)")
    let version = String(decoding: bytes(request.server_protocol), as: UTF8.self)
    precondition(version == "HTTP/1.0" || version == "HTTP/1.1", "protocol \(version)")
    let scheme = String(decoding: bytes(request.url_scheme), as: UTF8.self)
    precondition(scheme == "http" || scheme == "https", "scheme \(scheme)")
    var hosts = 0
    var framing = 0
    for (name, value) in headers(request) {
        // §6.3, §14.1: names are tokens without _, values hold no control character but tab,
        // and carry no surrounding whitespace.
        precondition(!name.isEmpty && name.allSatisfy(isTokenByte), "header name \(name)")
        precondition(!name.contains(UInt8(ascii: "_")), "a header name with _ reached the application")
        precondition(value.allSatisfy { $0 == 9 || ($0 >= 0x20 && $0 != 0x7F) }, "header value \(value)")
        precondition(value.first.map { $0 != 32 && $0 != 9 } ?? true, "leading whitespace in \(value)")
        precondition(value.last.map { $0 != 32 && $0 != 9 } ?? true, "trailing whitespace in \(value)")
        if equalsIgnoringCase(name, "host") { hosts += 1 }
        if equalsIgnoringCase(name, "content-length") || equalsIgnoringCase(name, "transfer-encoding") {
            framing += 1
        }
    }
    // §14.1: at most one Host (exactly one in HTTP/1.1), at most one framing field.
    precondition(hosts <= 1 && (version == "HTTP/1.0" || hosts == 1), "\(hosts) Host fields")
    precondition(framing <= 1, "\(framing) framing fields")
    // §6.2: CONTENT_LENGTH is digits and says body_length; chunked bodies have no CONTENT_LENGTH.
    let contentLength = bytes(request.content_length)
    if request.body_length < 0 {
        precondition(request.body_length == -1 && contentLength.isEmpty, "chunked with CONTENT_LENGTH")
    } else if !contentLength.isEmpty {
        precondition(contentLength.allSatisfy { $0 >= 48 && $0 <= 57 }, "CONTENT_LENGTH \(contentLength)")
        precondition(Int64(String(decoding: contentLength, as: UTF8.self)) == request.body_length)
    } else {
        precondition(request.body_length == 0, "body_length \(request.body_length) without CONTENT_LENGTH")
    }
}

private func bytes(_ value: ssgi_bytes) -> [UInt8] {
    guard let data = value.data, value.length > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: value.length))
}

private func headers(_ request: ssgi_request) -> [(name: [UInt8], value: [UInt8])] {
    guard let headers = request.headers else { return [] }
    return UnsafeBufferPointer(start: headers, count: request.header_count).map { (bytes($0.name), bytes($0.value)) }
}

private func withHeaders<Result>(
    _ fields: [([UInt8], [UInt8])], _ body: (UnsafeBufferPointer<ssgi_header>) -> Result
) -> Result {
    let storage = fields.flatMap { $0.0 + $0.1 }
    return storage.withUnsafeBufferPointer { base in
        var offset = 0
        let headers = fields.map { name, value in
            defer { offset += name.count + value.count }
            let start = base.baseAddress.map { $0 + offset }
            return ssgi_header(
                name: ssgi_bytes(data: start, length: name.count),
                value: ssgi_bytes(data: start.map { $0 + name.count }, length: value.count))
        }
        return headers.withUnsafeBufferPointer(body)
    }
}

private func equalsIgnoringCase(_ bytes: [UInt8], _ lowercase: String) -> Bool {
    bytes.count == lowercase.utf8.count && zip(bytes, lowercase.utf8).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
}

private func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
}
