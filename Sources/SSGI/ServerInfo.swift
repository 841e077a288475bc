import CSSGI

/// What the server tells the application at startup (`ssgi_server_info`): who it is, the flags
/// requests will carry, and the application's arguments.
///
/// `startup:` hooks receive it once per process, before the first request.
public struct ServerInfo: Sendable, Hashable {
    /// The server's name and version, such as `swiftserve/0.1.0`.
    public var serverSoftware: String
    /// The ABI version the server speaks.
    public var abiMajor: Int
    public var abiMinor: Int
    /// `ssgi.multithread`, `ssgi.multiprocess` and `ssgi.run_once` as requests will carry them.
    public var multithread: Bool
    public var multiprocess: Bool
    public var runOnce: Bool
    /// The application's arguments, argv-style as `CommandLine.arguments` (SSGI 1.1, SPEC §4.1):
    /// the application reference `PATH:CALLABLE` first, then the words that followed `--` on the
    /// server's command line. `swiftserve libapp.so:app -- --greeting Hi` gives
    /// `["libapp.so:app", "--greeting", "Hi"]`. Empty from a server that speaks SSGI 1.0 only.
    public var arguments: [String]

    public init(
        serverSoftware: String = "swiftserve", abiMajor: Int = Int(SSGI_ABI_MAJOR),
        abiMinor: Int = Int(SSGI_ABI_MINOR), multithread: Bool = false, multiprocess: Bool = false,
        runOnce: Bool = false, arguments: [String] = []
    ) {
        self.serverSoftware = serverSoftware
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.multithread = multithread
        self.multiprocess = multiprocess
        self.runOnce = runOnce
        self.arguments = arguments
    }

    /// Whether `name` can be the `CALLABLE` of an application reference: a C identifier
    /// (`[A-Za-z_][A-Za-z0-9_]*`, SPEC §2.1), which every language can export unmangled.
    public static func isCallableName<Name: Collection<UInt8>>(_ name: Name) -> Bool {
        !name.isEmpty
            && name.enumerated().allSatisfy { index, byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                    true
                case UInt8(ascii: "0")...UInt8(ascii: "9"): index > 0
                default: false
                }
            }
    }
}
