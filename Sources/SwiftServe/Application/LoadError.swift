/// Why an application could not be loaded or started; each message is one line that names what
/// was wrong and what to do. Where the fix depends on the language the library is written in,
/// `swift` says whether it is known to be Swift: the hint is then SwiftPM's, else one for any language.
public enum LoadError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingArgument
    case malformedArgument(String)
    case fileNotFound(path: String, swift: Bool)
    case notASharedLibrary(path: String, reason: String, swift: Bool)
    case symbolNotFound(symbol: String, path: String, swift: Bool)
    case entryPointReturnedNull(symbol: String, path: String)
    case badMagic(symbol: String, path: String, found: UInt32, expected: UInt32)
    case abiMismatch(path: String, foundMajor: Int, foundMinor: Int, expectedMajor: Int, expectedMinor: Int)
    case malformedDescriptor(path: String, reason: String)
    case compilerMismatch(path: String, found: String, expected: String)
    case startupFailed(application: String, reason: String)

    public var description: String {
        switch self {
        case .missingArgument:
            return "no application given: provide an application as PATH.so:CALLABLE, for example ./libapp.so:app"
        case .malformedArgument(let argument):
            return
                "malformed application '\(argument)': provide an application as PATH.so:CALLABLE, where CALLABLE is a C identifier such as app"
        case .fileNotFound(let path, let swift):
            return
                "no such file '\(path)': check the path, or build the application first\(swift ? " (swift build)" : "")"
        case .notASharedLibrary(let path, let reason, let swift):
            let hint =
                swift
                ? "build it as a .dynamic library product"
                : "build it as a shared library (cc -shared -fPIC, a Rust cdylib, zig build-lib -dynamic)"
            return "'\(path)' is not a loadable shared library (\(reason)): \(hint)"
        case .symbolNotFound(let symbol, let path, let swift):
            let hint =
                swift
                ? "name an entry point declared with @_cdecl(\"\(symbol)\")"
                : "export the entry point under that exact name (a non-static C function, extern \"C\" in C++, #[no_mangle] pub extern \"C\" fn in Rust, export fn in Zig)"
            return "'\(path)' exports no symbol '\(symbol)': \(hint)"
        case .entryPointReturnedNull(let symbol, let path):
            return "entry point '\(symbol)' in '\(path)' returned NULL: the application could not be created"
        case .badMagic(let symbol, let path, let found, let expected):
            return
                "'\(symbol)' in '\(path)' did not return an SSGI descriptor: magic is \(Self.hex(found)), expected \(Self.hex(expected)) (is it an SSGI entry point?)"
        case .abiMismatch(let path, let foundMajor, let foundMinor, let expectedMajor, let expectedMinor):
            return
                "'\(path)' is built for SSGI ABI \(foundMajor).\(foundMinor), but this server speaks SSGI ABI \(expectedMajor).\(expectedMinor): rebuild the application against SSGI \(expectedMajor).x with minor version at most \(expectedMinor)"
        case .malformedDescriptor(let path, let reason):
            return "the SSGI descriptor of '\(path)' is malformed: \(reason)"
        case .compilerMismatch(let path, let found, let expected):
            return
                "'\(path)' was built by \(found), but this server was built by \(expected): build the application and the server with the same Swift toolchain (Swift has no stable ABI on Linux)"
        case .startupFailed(let application, let reason):
            return "application '\(application)' failed to start: \(reason)"
        }
    }

    /// The process exit status for this error: 2 for a wrong command line, 4 when the application
    /// could not be loaded or started (Gunicorn's APP_LOAD_ERROR).
    public var exitCode: Int32 {
        switch self {
        case .missingArgument, .malformedArgument: 2
        default: 4
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
