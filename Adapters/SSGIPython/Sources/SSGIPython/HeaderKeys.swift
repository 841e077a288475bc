import CPythonBridge

/// The environ key of each request header name, `HTTP_` and the name upper-cased with `-` as
/// `_` (PEP 3333, CGI), made and interned once per distinct name and then found by the name's
/// bytes without making a string. Content-Type and Content-Length have none: they are
/// `CONTENT_TYPE` and `CONTENT_LENGTH`, never `HTTP_CONTENT_TYPE`.
///
/// A fixed table of recent names, so that a client inventing names cannot make it grow; shared by
/// every Python thread, and used with the GIL held.
final class HeaderKeys {
    private struct Entry {
        /// The name, lower-cased.
        var name: [UInt8]
        /// Its key, or nil for Content-Type and Content-Length.
        var key: PythonObject?
    }

    private static let capacity = 512
    private var table = [Entry?](repeating: nil, count: HeaderKeys.capacity)

    /// What `key(for:)` answers for a name that has no key.
    enum Lookup {
        case key(PythonObject)
        case none
        case failed
    }

    /// The key for the header `name` (a borrowed reference), `.none` for Content-Type and
    /// Content-Length, `.failed` with an exception raised when it cannot be made.
    func key(for name: UnsafeRawBufferPointer) -> Lookup {
        var hash: UInt32 = 2_166_136_261
        for byte in name {
            hash = (hash ^ UInt32(Self.lower(byte))) &* 16_777_619
        }
        let slot = Int(hash % UInt32(Self.capacity))
        if let entry = self.table[slot], entry.name.count == name.count,
            zip(entry.name, name).allSatisfy({ $0 == Self.lower($1) })
        {
            return entry.key.map(Lookup.key) ?? .none
        }
        let lowered = name.map(Self.lower)
        var key: PythonObject?
        if lowered != Array("content-type".utf8), lowered != Array("content-length".utf8) {
            let text =
                "HTTP_"
                + String(
                    decoding: lowered.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "_") : Self.upper($0) },
                    as: UTF8.self)
            guard let made = Python.string(text) else { return .failed }
            var interned: PythonObject? = made
            PyUnicode_InternInPlace(&interned)
            key = interned
        }
        if let old = self.table[slot]?.key { ssgipy_decref(old) }
        self.table[slot] = Entry(name: lowered, key: key)
        return key.map(Lookup.key) ?? .none
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}
