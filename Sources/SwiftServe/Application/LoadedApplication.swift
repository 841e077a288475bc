import CSSGI
import Glibc
import SSGI

/// An application loaded from a shared library: its descriptor, and the calls into it.
///
/// The descriptor lives as long as the process, so the value can be copied freely.
public struct LoadedApplication: @unchecked Sendable {
    /// The descriptor the entry point returned: name, versions, startup and shutdown.
    let descriptor: UnsafePointer<ssgi_app>
    /// The descriptor whose `handle` serves requests: the application's own, or a middleware's around it.
    private let handler: UnsafePointer<ssgi_app>
    /// What was loaded.
    public let specifier: ApplicationSpecifier

    init(descriptor: UnsafePointer<ssgi_app>, specifier: ApplicationSpecifier) {
        self.descriptor = descriptor
        self.handler = descriptor
        self.specifier = specifier
    }

    private init(_ application: LoadedApplication, handler: UnsafePointer<ssgi_app>) {
        self.descriptor = application.descriptor
        self.handler = handler
        self.specifier = application.specifier
    }

    /// The same application with every request checked by the SDK's `Validator` (`--validate`).
    public func validated() -> LoadedApplication {
        let wrapped = Validator.wrap(ForeignApplication(descriptor: UnsafeRawPointer(self.descriptor)).application)
        let handler = exportApplication(name: self.name, wrapped).assumingMemoryBound(to: ssgi_app.self)
        return LoadedApplication(self, handler: handler)
    }

    /// Whether requests are checked by the validator.
    public var isValidated: Bool { self.handler != self.descriptor }

    /// The name the application gave itself.
    public var name: String { Self.string(self.descriptor.pointee.name, or: self.specifier.callable) }
    /// The SDK that built it, such as `SSGI-Swift/1.0.0`.
    public var sdkVersion: String { Self.string(self.descriptor.pointee.sdk_version, or: "unknown SDK") }
    /// The compiler that built it.
    public var compiler: String { Self.string(self.descriptor.pointee.compiler, or: "unknown compiler") }
    /// The ABI version it was built for.
    public var abiVersion: String { "\(self.descriptor.pointee.abi_major).\(self.descriptor.pointee.abi_minor)" }
    /// Where it declares its code runs (docs/SPEC.md §5.2): `inline`, `concurrent` or `thread pool`.
    public var execution: String {
        switch Int(self.descriptor.pointee.execution) {
        case SSGI_EXECUTION_INLINE: "inline"
        case SSGI_EXECUTION_CONCURRENT: "concurrent"
        default: "thread pool"
        }
    }
    /// Whether its code runs on the I/O thread that receives the request.
    public var runsInline: Bool { self.handler.pointee.execution == UInt32(SSGI_EXECUTION_INLINE) }

    /// Whether the application was built for SSGI 1.1 or later, and so can read its arguments
    /// (SPEC §4.1). One built for 1.0 may be given them, and cannot see them.
    public var receivesArguments: Bool { self.descriptor.pointee.abi_minor >= 1 }

    /// Runs the application's startup hook, blocking; throws its reason when it fails. Under
    /// `--validate`, checks first what the server tells the application.
    func startup(serverSoftware: String, flags: UInt32) throws(LoadError) {
        let capacity = 1024
        var error = [CChar](repeating: 0, count: capacity)
        // argv-style: NUL-terminated copies, then NULL; they live until startup returns.
        let arguments = self.specifier.argumentVector.map { UnsafePointer(strdup($0)) } + [nil]
        defer { arguments.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        var refusal: LoadError?
        let status = serverSoftware.withCString { software in
            arguments.withUnsafeBufferPointer { vector -> Int32 in
                var info = ssgi_server_info(
                    struct_size: MemoryLayout<ssgi_server_info>.size, server_software: software,
                    abi_major: UInt16(SSGI_ABI_MAJOR), abi_minor: UInt16(SSGI_ABI_MINOR), flags: flags,
                    ops: ServerOperations.table, argument_count: vector.count - 1, arguments: vector.baseAddress)
                if self.isValidated {
                    do throws(ValidationError) {
                        try Validator.checkServerInfo(try ServerInfo(validating: &info))
                    } catch {
                        refusal = .startupFailed(application: self.name, reason: error.description)
                        return 0
                    }
                }
                guard let startup = self.descriptor.pointee.startup else { return 0 }
                return error.withUnsafeMutableBufferPointer { buffer in
                    startup(self.descriptor.pointee.context, &info, buffer.baseAddress, capacity)
                }
            }
        }
        if let refusal { throw refusal }
        guard status == 0 else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .startupFailed(application: self.name, reason: reason.isEmpty ? "startup returned \(status)" : reason)
        }
    }

    /// Runs the application's shutdown hook, blocking.
    func shutdown() {
        self.descriptor.pointee.shutdown?(self.descriptor.pointee.context)
    }

    /// Hands one request to the application.
    func handle(_ request: UnsafePointer<ssgi_request>, call: OpaquePointer) {
        self.handler.pointee.handle(self.handler.pointee.context, request, call, ServerOperations.table)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?, or fallback: String) -> String {
        guard let pointer else { return fallback }
        let value = String(cString: pointer)
        return value.isEmpty ? fallback : value
    }
}
