import CSSGI
import Glibc
import SSGI

/// Opens an application's shared library, calls its entry point and checks the descriptor it
/// returns, as `__import__` and `getattr` do for a WSGI `module:callable`.
///
/// The library is never closed: unloading Swift code is not safe, so a new build is loaded by a
/// new process.
public enum ApplicationLoader {
    /// The ABI version this server speaks.
    public static let abiMajor = Int(SSGI_ABI_MAJOR)
    public static let abiMinor = Int(SSGI_ABI_MINOR)

    /// Loads the application named by `specifier`, or throws a `LoadError` that says what to fix.
    public static func load(_ specifier: ApplicationSpecifier) throws(LoadError) -> LoadedApplication {
        let path = specifier.path
        var info = stat()
        guard stat(path, &info) == 0 else { throw .fileNotFound(path: path, swift: Self.isSwiftPMProduct(path)) }
        // A path without a slash would make dlopen search the library path instead of this folder.
        let openPath = path.contains("/") ? path : "./" + path
        guard let handle = dlopen(openPath, RTLD_NOW | RTLD_LOCAL) else {
            let reason = Self.lastError()
            throw .notASharedLibrary(
                path: path, reason: reason, swift: Self.isSwiftPMProduct(path) || reason.contains("libswift"))
        }
        guard let symbol = dlsym(handle, specifier.callable) else {
            // A Swift library depends on the Swift runtime, which the handle's lookup scope then holds.
            throw .symbolNotFound(symbol: specifier.callable, path: path, swift: dlsym(handle, "swift_retain") != nil)
        }
        let entryPoint = unsafeBitCast(symbol, to: ssgi_entry_point.self)
        guard let descriptor = entryPoint() else {
            throw .entryPointReturnedNull(symbol: specifier.callable, path: path)
        }
        try Self.check(descriptor, specifier)
        return LoadedApplication(descriptor: descriptor, specifier: specifier)
    }

    /// Checks the descriptor an entry point linked into this process returns, as `load` does for
    /// a library's: for a server and an application built as one executable, and for fuzzing.
    public static func load(linked entryPoint: () -> UnsafeRawPointer?, named name: String) throws(LoadError)
        -> LoadedApplication
    {
        let specifier = ApplicationSpecifier(path: "(linked)", callable: name)
        guard let descriptor = entryPoint()?.assumingMemoryBound(to: ssgi_app.self) else {
            throw .entryPointReturnedNull(symbol: name, path: specifier.path)
        }
        try Self.check(descriptor, specifier)
        return LoadedApplication(descriptor: descriptor, specifier: specifier)
    }

    private static func check(_ descriptor: UnsafePointer<ssgi_app>, _ specifier: ApplicationSpecifier)
        throws(LoadError)
    {
        let app = descriptor.pointee
        guard app.magic == SSGI_MAGIC else {
            throw .badMagic(symbol: specifier.callable, path: specifier.path, found: app.magic, expected: SSGI_MAGIC)
        }
        guard Int(app.abi_major) == Self.abiMajor, Int(app.abi_minor) <= Self.abiMinor else {
            throw .abiMismatch(
                path: specifier.path, foundMajor: Int(app.abi_major), foundMinor: Int(app.abi_minor),
                expectedMajor: Self.abiMajor, expectedMinor: Self.abiMinor)
        }
        guard app.struct_size >= MemoryLayout<ssgi_app>.size else {
            throw .malformedDescriptor(
                path: specifier.path,
                reason: "struct_size is \(app.struct_size), SSGI 1.0 needs at least \(MemoryLayout<ssgi_app>.size)")
        }
        guard app.handle != nil else {
            throw .malformedDescriptor(path: specifier.path, reason: "handle is NULL")
        }
        let executions = [SSGI_EXECUTION_INLINE, SSGI_EXECUTION_CONCURRENT, SSGI_EXECUTION_THREAD_POOL].map(UInt32.init)
        guard executions.contains(app.execution) else {
            throw .malformedDescriptor(
                path: specifier.path, reason: "execution is \(app.execution), not one of the SSGI_EXECUTION_* values")
        }
        // A Swift application shares this process's Swift runtime, which has no stable ABI on
        // Linux: it must come from the same compiler. C, Rust or Zig applications name no Swift.
        let compiler = app.compiler.map { String(cString: $0) } ?? ""
        guard !compiler.hasPrefix(Self.swiftCompilerPrefix) || compiler == Self.compiler else {
            throw .compilerMismatch(path: specifier.path, found: compiler, expected: Self.compiler)
        }
    }

    /// The compiler that built this server, as the SDK names it in a descriptor (`Swift 6.3`).
    public static let compiler = ApplicationDescriptor.compiler
    private static let swiftCompilerPrefix = "Swift "

    /// Whether `path` lies in a SwiftPM build folder, so that the library is a Swift product.
    private static func isSwiftPMProduct(_ path: String) -> Bool {
        path.hasPrefix(".build/") || path.contains("/.build/")
    }

    private static func lastError() -> String {
        guard let message = dlerror() else { return "unknown reason" }
        return String(cString: message)
    }
}
