/// A piece of a response body: bytes, or a string sent as UTF-8.
///
/// A string is kept as it is and its UTF-8 handed to the server when it is sent, so that a body
/// made of string literals is never copied into an array on the way out.
public struct BodyChunk: Sendable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    @usableFromInline
    enum Storage: Sendable {
        case bytes([UInt8])
        case string(String)
    }

    @usableFromInline
    var storage: Storage

    /// The bytes sent to the client.
    public var bytes: [UInt8] {
        get {
            switch self.storage {
            case .bytes(let bytes): bytes
            case .string(let string): Array(string.utf8)
            }
        }
        set {
            self.storage = .bytes(newValue)
        }
    }

    /// How many bytes the chunk holds.
    public var count: Int {
        switch self.storage {
        case .bytes(let bytes): bytes.count
        case .string(let string): string.utf8.count
        }
    }

    // The initializers are inlinable so that a body of literals (`["Hello\n"]`) is a constant the
    // compiler lays out once, not an array built for every request.
    @inlinable
    public init(_ bytes: [UInt8]) {
        self.storage = .bytes(bytes)
    }

    @inlinable
    public init(_ string: String) {
        self.storage = .string(string)
    }

    @inlinable
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
