import CPythonBridge
import CSSGI
import SSGI

/// The SSGI descriptor of the bridge: `swiftserve libwsgi.so:app -- MODULE:CALLABLE` loads it.
///
/// It runs its code on a pool of threads of its own (`SSGI_EXECUTION_THREAD_POOL`): `handle`
/// only queues the request. Built against the SSGI 1.1 header, it needs a server that gives it
/// its arguments; an older server refuses it at load.
enum WSGIApplication {
    nonisolated(unsafe) static let descriptor: UnsafePointer<ssgi_app> = {
        let descriptor = UnsafeMutablePointer<ssgi_app>.allocate(capacity: 1)
        descriptor.initialize(
            to: ssgi_app(
                magic: SSGI_MAGIC, abi_major: UInt16(SSGI_ABI_MAJOR), abi_minor: UInt16(SSGI_ABI_MINOR),
                struct_size: MemoryLayout<ssgi_app>.size, name: strdup("wsgi"), sdk_version: strdup("SSGIPython/1.0.0"),
                compiler: strdup(compiler), execution: UInt32(SSGI_EXECUTION_THREAD_POOL), context: nil,
                startup: startup, handle: handle, shutdown: shutdown))
        return UnsafePointer(descriptor)
    }()

    private static var compiler: String {
        #if compiler(>=6.3)
            "Swift 6.3"
        #elseif compiler(>=6.2)
            "Swift 6.2"
        #else
            "Swift 6"
        #endif
    }

    private static let startup:
        @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<ssgi_server_info>?, UnsafeMutablePointer<CChar>?, Int)
            -> Int32 = { _, info, buffer, capacity in
                let ops = info!.pointee.ops!
                WSGIBridge.ops = ops
                PythonInterpreter.logTraceback = { traceback in
                    var text = traceback
                    text.withUTF8 { ops.pointee.log_error(nil, ssgi_bytes(data: $0.baseAddress, length: $0.count)) }
                }
                do {
                    let serverInfo = try ServerInfo(validating: UnsafeRawPointer(info!))
                    WSGIBridge.current = try WSGIBridge.start(serverInfo)
                    return 0
                } catch {
                    let message = Array("\(error)".utf8.prefix(max(0, capacity - 1)))
                    if let buffer, capacity > 0 {
                        for (index, byte) in message.enumerated() { buffer[index] = CChar(bitPattern: byte) }
                        buffer[message.count] = 0
                    }
                    return 1
                }
            }

    private static let handle:
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<ssgi_request>?, OpaquePointer?, UnsafePointer<ssgi_server_ops>?
        )
            -> Void = { _, request, call, ops in
                WSGIBridge.current!.handle(Job(request: request!, call: call!, ops: ops!))
            }

    private static let shutdown: @convention(c) (UnsafeMutableRawPointer?) -> Void = { _ in
        WSGIBridge.current?.stop()
    }
}

/// The entry point: `swiftserve libwsgi.so:app -- MODULE:CALLABLE [--pythonpath DIR] [--threads N]`.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    UnsafeRawPointer(WSGIApplication.descriptor)
}
