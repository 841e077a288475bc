import SSGI

/// Which application to serve: `PATH:CALLABLE`, as WSGI servers take `module:callable`, and the
/// arguments it is given (`PATH:CALLABLE -- ARGUMENTS...`).
///
/// `PATH` is the shared library; `CALLABLE` the name of its exported entry point, `app` when left out.
public struct ApplicationSpecifier: Sendable, Hashable, CustomStringConvertible {
    /// The shared library's path, as given.
    public var path: String
    /// The entry point's symbol name.
    public var callable: String
    /// The words that followed `--` on the command line, handed to the application's startup
    /// (SSGI 1.1, SPEC §4.1).
    public var arguments: [String]

    /// The entry point used when the argument names none.
    public static let defaultCallable = "app"

    public init(path: String, callable: String = ApplicationSpecifier.defaultCallable, arguments: [String] = []) {
        self.path = path
        self.callable = callable
        self.arguments = arguments
    }

    /// Parses `PATH:CALLABLE` or `PATH`; the last `:` separates the two.
    public init(parsing argument: String, arguments: [String] = []) throws(LoadError) {
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
        guard !path.isEmpty, ServerInfo.isCallableName(callable.utf8) else {
            throw .malformedArgument(argument)
        }
        self.init(path: String(path), callable: String(callable), arguments: arguments)
    }

    /// `PATH:CALLABLE`: the application reference, without the arguments.
    public var description: String { "\(self.path):\(self.callable)" }

    /// What the application receives as its arguments, argv-style: the reference, then the words
    /// after `--`.
    public var argumentVector: [String] { [self.description] + self.arguments }
}
