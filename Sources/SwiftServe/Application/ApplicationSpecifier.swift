/// Which application to serve: `PATH:CALLABLE`, as WSGI servers take `module:callable`.
///
/// `PATH` is the shared library; `CALLABLE` the name of its exported entry point, `app` when left out.
public struct ApplicationSpecifier: Sendable, Hashable, CustomStringConvertible {
    /// The shared library's path, as given.
    public var path: String
    /// The entry point's symbol name.
    public var callable: String

    /// The entry point used when the argument names none.
    public static let defaultCallable = "app"

    public init(path: String, callable: String = ApplicationSpecifier.defaultCallable) {
        self.path = path
        self.callable = callable
    }

    /// Parses `PATH:CALLABLE` or `PATH`; the last `:` separates the two.
    public init(parsing argument: String) throws(LoadError) {
        guard !argument.isEmpty else { throw .missingArgument }
        let path: Substring
        let callable: Substring
        if let colon = argument.lastIndex(of: ":") {
            path = argument[..<colon]
            callable = argument[argument.index(after: colon)...]
        } else {
            path = argument[...]
            callable = Substring(Self.defaultCallable)
        }
        guard !path.isEmpty, !callable.isEmpty, Self.isCIdentifier(callable) else {
            throw .malformedArgument(argument)
        }
        self.init(path: String(path), callable: String(callable))
    }

    public var description: String { "\(self.path):\(self.callable)" }

    private static func isCIdentifier(_ name: Substring) -> Bool {
        name.utf8.enumerated().allSatisfy { index, byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): index > 0
            default: false
            }
        }
    }
}
