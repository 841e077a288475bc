import CSSGI
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Builds the C descriptor an entry point returns, and the C functions the server calls through it.
///
/// With `ServerCall.swift`, this is where the SDK crosses the C boundary.
package enum ApplicationDescriptor {
    /// The SDK's name and version, reported in the descriptor.
    static let sdkVersion = "SSGI-Swift/1.2.0"

    /// `ssgi.version`: the ABI version this SDK builds applications for.
    static let abiVersion = "\(SSGI_ABI_MAJOR).\(SSGI_ABI_MINOR)"

    /// The compiler that built this SDK (and so the application it is linked into), as
    /// `Swift MAJOR.MINOR`: what `#if compiler` can tell. A compiler newer than the newest this
    /// SDK names says so, so that it never passes for that one. swiftserve compares it with the
    /// compiler that built the server itself (SPEC.md §3.2).
    package static var compiler: String {
        #if compiler(>=6.4)
            "Swift 6.4 or later"
        #elseif compiler(>=6.3)
            "Swift 6.3"
        #elseif compiler(>=6.2)
            "Swift 6.2"
        #elseif compiler(>=6.1)
            "Swift 6.1"
        #else
            "Swift 6.0"
        #endif
    }

    /// Allocates a descriptor for `application` that lives as long as the process.
    static func make(_ application: ExportedApplication) -> UnsafeRawPointer {
        let execution: UInt32
        switch application.handler {
        case .sync(_, let mode): execution = mode.abiValue
        case .async, .immediate: execution = UInt32(SSGI_EXECUTION_CONCURRENT)
        }
        let descriptor = UnsafeMutablePointer<ssgi_app>.allocate(capacity: 1)
        descriptor.initialize(
            to: ssgi_app(
                magic: SSGI_MAGIC,
                abi_major: UInt16(SSGI_ABI_MAJOR),
                abi_minor: UInt16(SSGI_ABI_MINOR),
                struct_size: MemoryLayout<ssgi_app>.size,
                name: strdup(application.name),
                sdk_version: strdup(sdkVersion),
                compiler: strdup(compiler),
                execution: execution,
                context: Unmanaged.passRetained(application).toOpaque(),
                startup: startupFunction,
                handle: handleFunction,
                shutdown: shutdownFunction))
        return UnsafeRawPointer(descriptor)
    }
}

private func exported(_ context: UnsafeMutableRawPointer?) -> ExportedApplication {
    Unmanaged<ExportedApplication>.fromOpaque(context!).takeUnretainedValue()
}

/// Runs `work` to completion on a new task and waits for it: startup and shutdown run on a thread
/// where the server allows blocking.
private func runBlocking(_ work: @escaping @Sendable () async throws -> Void) -> (any Error)? {
    final class Outcome: @unchecked Sendable { var error: (any Error)? }
    let outcome = Outcome()
    let semaphore = DispatchSemaphore(value: 0)
    Task {
        do { try await work() } catch { outcome.error = error }
        semaphore.signal()
    }
    semaphore.wait()
    return outcome.error
}

private let startupFunction:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<ssgi_server_info>?, UnsafeMutablePointer<CChar>?, Int
    ) -> Int32 = { context, info, error, capacity in
        guard let startup = exported(context).startup else { return 0 }
        let failure: (any Error)?
        do {
            let serverInfo = try ServerInfo(validating: UnsafeRawPointer(info!))
            failure = runBlocking { try await startup(serverInfo) }
        } catch {
            failure = error
        }
        guard let failure else { return 0 }
        if let error, capacity > 0 {
            let message = Array("\(failure)".utf8.prefix(capacity - 1))
            message.withUnsafeBytes {
                UnsafeMutableRawPointer(error).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
            }
            error[message.count] = 0
        }
        return 1
    }

private let handleFunction:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafePointer<ssgi_request>?, OpaquePointer?, UnsafePointer<ssgi_server_ops>?
    ) -> Void = { context, request, call, ops in
        let application = exported(context)
        let request = request!.pointee
        let mayBlock: Bool
        if case .sync(_, .inline) = application.handler { mayBlock = false } else { mayBlock = true }
        let state = RequestState(
            call: ServerCall(call: call!, ops: ops!, mayBlock: mayBlock), applicationName: application.name)
        let environ = Environ(request, state: state)
        state.method = environ.requestMethod
        state.target = environ.requestURI
        application.run(environ, state)
    }

private let shutdownFunction: @convention(c) (UnsafeMutableRawPointer?) -> Void = { context in
    guard let shutdown = exported(context).shutdown else { return }
    _ = runBlocking(shutdown)
}

extension ServerInfo {
    /// Reads the server's `ssgi_server_info` at `info`, checking the rules of SPEC §4.1 that only
    /// the C layout shows: the 1.1 fields are read only when `struct_size` covers them, and the
    /// arguments must be `argument_count` strings followed by NULL.
    public init(validating info: UnsafeRawPointer) throws(ValidationError) {
        let info = info.assumingMemoryBound(to: ssgi_server_info.self).pointee
        self.init(
            serverSoftware: info.server_software.map { String(cString: $0) } ?? "",
            abiMajor: Int(info.abi_major), abiMinor: Int(info.abi_minor),
            multithread: info.flags & UInt32(SSGI_FLAG_MULTITHREAD) != 0,
            multiprocess: info.flags & UInt32(SSGI_FLAG_MULTIPROCESS) != 0,
            runOnce: info.flags & UInt32(SSGI_FLAG_RUN_ONCE) != 0)
        let argumentsEnd =
            MemoryLayout<ssgi_server_info>.offset(of: \.arguments)! + MemoryLayout<UnsafePointer<CChar>?>.size
        guard info.struct_size >= argumentsEnd else { return }
        guard info.argument_count >= 1, let vector = info.arguments else {
            throw ValidationError(
                .serverInfo, "arguments must hold at least the application reference, found \(info.argument_count)")
        }
        for index in 0..<info.argument_count {
            guard let argument = vector[index] else {
                throw ValidationError(.serverInfo, "arguments[\(index)] is NULL, before argument_count")
            }
            self.arguments.append(String(cString: argument))
        }
        guard vector[info.argument_count] == nil else {
            throw ValidationError(.serverInfo, "arguments[argument_count] is not NULL")
        }
    }
}

extension Environ {
    /// Where `tls_client_subject` (SSGI 1.2) ends: a server's request has it when its
    /// `struct_size` reaches this far.
    fileprivate static let tlsClientSubjectEnd =
        MemoryLayout<ssgi_request>.offset(of: \.tls_client_subject)! + MemoryLayout<ssgi_bytes>.size

    /// Copies the server's request into an environ that the application may keep.
    fileprivate init(_ request: ssgi_request, state: RequestState) {
        var headers: [HTTPHeader] = []
        headers.reserveCapacity(request.header_count)
        for index in 0..<request.header_count {
            let header = request.headers[index]
            headers.append((header.name.string, header.value.string))
        }
        self.init(
            requestMethod: request.request_method.string,
            scriptName: request.script_name.string,
            pathInfo: request.path_info.string,
            queryString: request.query_string.string,
            contentType: request.content_type.string,
            contentLength: request.content_length.string,
            serverName: request.server_name.string,
            serverPort: request.server_port.string,
            serverProtocol: request.server_protocol.string,
            remoteAddr: request.remote_addr.string,
            remotePort: request.remote_port.string,
            urlScheme: request.url_scheme.string,
            requestURI: request.request_uri.string,
            tlsClientSubject: request.struct_size >= Self.tlsClientSubjectEnd ? request.tls_client_subject.string : "",
            headers: headers,
            multithread: request.flags & UInt32(SSGI_FLAG_MULTITHREAD) != 0,
            multiprocess: request.flags & UInt32(SSGI_FLAG_MULTIPROCESS) != 0,
            runOnce: request.flags & UInt32(SSGI_FLAG_RUN_ONCE) != 0,
            input: RequestInput.of(call: state.call, bodyLength: request.body_length),
            errors: ErrorStream(state: state))
    }
}
