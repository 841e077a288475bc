import CSSGI
import Logging
import NIOCore
import NIOEmbedded
import SSGI

@testable import SwiftServe

/// An application for in-process connection tests, written against the C ABI and run inline, so
/// that a request's whole exchange happens inside the test's calls into an `EmbeddedChannel`.
/// It answers by path, and notes what the server tells it in `events`:
///
/// - `/hello`: `200` and `hello\n`;
/// - `/echo`: reads the whole body, then answers with it;
/// - `/ignore`: answers `200` at once, without reading the body;
/// - `/stream`: three writes without a Content-Length (chunked);
/// - `/fail`: finishes as failed before starting (the server answers 500);
/// - `/hold`: starts the response, writes one chunk (held back by the server, §8.2), and holds
///   the call open until `release()`;
/// - `/hold-sent`: the same with a Content-Length of 10, so that the chunk goes out at once.
final class ConnectionTestApplication: @unchecked Sendable {
    /// What the server told the application, in order: `read N`, `read end`, `read failed CODE`,
    /// `write CODE`, `cleanup CODE`, `handle PATH`.
    private(set) var events: [String] = []
    /// The call `/hold` keeps open.
    private var held: Exchange?

    static let shared = ConnectionTestApplication()

    /// The descriptor the loader checks, as a plugin's entry point would return it.
    nonisolated(unsafe) static let descriptor: UnsafeMutablePointer<ssgi_app> = {
        let descriptor = UnsafeMutablePointer<ssgi_app>.allocate(capacity: 1)
        descriptor.initialize(
            to: ssgi_app(
                magic: SSGI_MAGIC, abi_major: UInt16(SSGI_ABI_MAJOR), abi_minor: UInt16(SSGI_ABI_MINOR),
                struct_size: MemoryLayout<ssgi_app>.size, name: name, sdk_version: name, compiler: name,
                execution: UInt32(SSGI_EXECUTION_INLINE), context: nil, startup: nil, handle: handle, shutdown: nil))
        return descriptor
    }()

    nonisolated(unsafe) private static let name: UnsafePointer<CChar> = {
        let text = Array("connection-tests".utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: text.count)
        pointer.initialize(from: text, count: text.count)
        return UnsafePointer(pointer)
    }()

    func note(_ event: String) {
        self.events.append(event)
    }

    func reset() {
        self.events.removeAll()
        self.held = nil
    }

    /// Writes to the held call and finishes it.
    func release(writing text: String = "") {
        guard let exchange = self.held else { return }
        self.held = nil
        if !text.isEmpty { exchange.write(text) }
        exchange.finish(failed: false)
    }

    /// Writes to the held call without finishing it.
    func writeToHeld(_ text: String) {
        self.held?.write(text)
    }

    fileprivate func hold(_ exchange: Exchange) {
        self.held = exchange
    }
}

/// A channel with swiftserve's connection pipeline for `ConnectionTestApplication`.
enum ConnectionTestChannel {
    /// `proxyProtocol` puts the PROXY header's handler first, as on a `proxy:` bind.
    static func make(
        proxyProtocol: Bool = false, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws -> EmbeddedChannel {
        ConnectionTestApplication.shared.reset()
        let application = try ApplicationLoader.load(
            linked: { UnsafeRawPointer(ConnectionTestApplication.descriptor) }, named: "app")
        var configuration = ServerConfiguration()
        configuration.threads = 1
        configure(&configuration)
        let pipeline = ConnectionPipeline(
            application: application, configuration: configuration,
            logger: Logger(label: "connection-tests", factory: { _ in SwiftLogNoOpLogHandler() }))
        let channel = EmbeddedChannel()
        try pipeline.configure(channel, proxyProtocol: proxyProtocol)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        return channel
    }
}

extension EmbeddedChannel {
    /// Sends `text` as the client and returns what the server wrote back.
    func exchange(_ text: String) throws -> String {
        try self.writeInbound(ByteBuffer(string: text))
        self.embeddedEventLoop.run()
        return self.output()
    }

    /// What the server wrote since the last look.
    func output() -> String {
        var text = ""
        while var buffer = try? self.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    /// Moves the event loop's clock on, and returns what the server wrote meanwhile.
    func advance(by amount: TimeAmount) -> String {
        self.embeddedEventLoop.advanceTime(by: amount)
        return self.output()
    }
}

/// One request to the test application.
private final class Exchange {
    let call: OpaquePointer
    let ops: UnsafePointer<ssgi_server_ops>
    let path: String
    var body: [UInt8] = []
    var reading = false

    init(call: OpaquePointer, ops: UnsafePointer<ssgi_server_ops>, path: String) {
        self.call = call
        self.ops = ops
        self.path = path
    }

    func start(_ status: String = "200 OK", headers: [(String, String)] = [("Content-Type", "text/plain")]) {
        // Every name and value in one array, the C headers pointing into it while it is borrowed.
        let storage = Array((headers.flatMap { Array($0.0.utf8) + Array($0.1.utf8) } + Array(status.utf8)))
        let code = storage.withUnsafeBufferPointer { base -> Int32 in
            var offset = 0
            var cHeaders: [ssgi_header] = []
            for (name, value) in headers {
                let nameCount = name.utf8.count
                let valueCount = value.utf8.count
                cHeaders.append(
                    ssgi_header(
                        name: ssgi_bytes(data: base.baseAddress! + offset, length: nameCount),
                        value: ssgi_bytes(data: base.baseAddress! + offset + nameCount, length: valueCount)))
                offset += nameCount + valueCount
            }
            let status = ssgi_bytes(data: base.baseAddress! + offset, length: status.utf8.count)
            return cHeaders.withUnsafeBufferPointer { cHeaders in
                self.ops.pointee.start_response(self.call, status, cHeaders.baseAddress, cHeaders.count, 0)
            }
        }
        precondition(code == SSGI_OK, "start_response refused with \(code)")
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        let context = Unmanaged.passRetained(self).toOpaque()
        let code = bytes.withUnsafeBufferPointer {
            self.ops.pointee.write(self.call, ssgi_bytes(data: $0.baseAddress, length: $0.count), writeDone, context)
        }
        if code != SSGI_OK {
            Unmanaged<Exchange>.fromOpaque(context).release()
            ConnectionTestApplication.shared.note("write refused \(code)")
        }
    }

    func finish(failed: Bool) {
        let context = Unmanaged.passRetained(self).toOpaque()
        let code = self.ops.pointee.finish(
            self.call, failed ? Int32(SSGI_FINISH_ERROR) : Int32(SSGI_FINISH_OK), cleanupDone, context)
        precondition(code == SSGI_OK, "finish refused with \(code)")
    }

    /// Reads until the body ends or fails, then answers with it.
    func readBody() {
        guard !self.reading else { return }
        self.reading = true
        let code = self.ops.pointee.read(self.call, 0, readDone, Unmanaged.passRetained(self).toOpaque())
        precondition(code == SSGI_OK, "read refused with \(code)")
    }

    func received(_ bytes: ssgi_bytes, status: Int32) {
        self.reading = false
        let application = ConnectionTestApplication.shared
        if status != SSGI_OK {
            application.note("read failed \(status)")
            self.finish(failed: true)
        } else if bytes.length == 0 {
            application.note("read end")
            self.start()
            self.write(String(decoding: self.body, as: UTF8.self))
            self.finish(failed: false)
        } else {
            application.note("read \(bytes.length)")
            self.body += UnsafeBufferPointer(start: bytes.data, count: bytes.length)
            self.readBody()
        }
    }
}

private let handle:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<ssgi_request>?, OpaquePointer?, UnsafePointer<ssgi_server_ops>?
    ) -> Void = { _, request, call, ops in
        let path = request!.pointee.path_info.string
        let exchange = Exchange(call: call!, ops: ops!, path: path)
        let application = ConnectionTestApplication.shared
        application.note("handle \(path)")
        switch path {
        case "/echo":
            exchange.readBody()
        case "/ignore":
            exchange.start()
            exchange.write("ignored\n")
            exchange.finish(failed: false)
        case "/stream":
            exchange.start()
            for part in ["one\n", "two\n", "three\n"] { exchange.write(part) }
            exchange.finish(failed: false)
        case "/fail":
            exchange.finish(failed: true)
        case "/hold":
            exchange.start()
            exchange.write("held\n")
            application.hold(exchange)
        case "/hold-sent":
            exchange.start(headers: [("Content-Length", "10")])
            exchange.write("held\n")
            application.hold(exchange)
        default:
            exchange.start()
            exchange.write("hello\n")
            exchange.finish(failed: false)
        }
    }

private let readDone: ssgi_read_done = { context, bytes, status in
    Unmanaged<Exchange>.fromOpaque(context!).takeRetainedValue().received(bytes, status: status)
}

private let writeDone: ssgi_write_done = { context, status in
    Unmanaged<Exchange>.fromOpaque(context!).release()
    ConnectionTestApplication.shared.note("write \(status)")
}

private let cleanupDone: ssgi_cleanup = { context, status in
    Unmanaged<Exchange>.fromOpaque(context!).release()
    ConnectionTestApplication.shared.note("cleanup \(status)")
}
