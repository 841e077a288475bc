import CPythonBridge
import SSGI

/// The environ key of each request header name, `HTTP_` and the name upper-cased with `-` as
/// `_` (PEP 3333, CGI), made and interned once per distinct name and then found by the name's
/// bytes without making a string. Content-Type and Content-Length have none: they are
/// `CONTENT_TYPE` and `CONTENT_LENGTH`, never `HTTP_CONTENT_TYPE`.
///
/// A fixed table of recent names in flat memory, so that a lookup allocates and counts no
/// reference, and a client inventing names cannot make it grow; shared by every Python thread,
/// and used with the GIL held.
final class HeaderKeys {
    private static let slots = 512
    /// Longer names are given a key each time, not kept.
    private static let longestName = 48

    /// Each slot's name, lower-cased, in `longestName` bytes.
    private let names = UnsafeMutablePointer<UInt8>.allocate(capacity: HeaderKeys.slots * HeaderKeys.longestName)
    /// Each slot's name length; 0 for an empty slot.
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: HeaderKeys.slots)
    /// Each slot's key (one reference); nil for Content-Type and Content-Length.
    private let keys = UnsafeMutablePointer<PythonObject?>.allocate(capacity: HeaderKeys.slots)

    init() {
        self.lengths.initialize(repeating: 0, count: Self.slots)
        self.keys.initialize(repeating: nil, count: Self.slots)
    }

    /// What `key(for:)` finds for a header name.
    enum Lookup {
        /// Its key: a borrowed reference, or, when `owned`, one the caller releases.
        case key(PythonObject, owned: Bool)
        /// Content-Type or Content-Length.
        case none
        /// The key could not be made: an exception is raised.
        case failed
    }

    func key(for name: UnsafeRawBufferPointer) -> Lookup {
        var hash: UInt32 = 2_166_136_261
        for byte in name {
            hash = (hash ^ UInt32(ASCII.lowercased(byte))) &* 16_777_619
        }
        let slot = Int(hash % UInt32(Self.slots))
        let stored = self.names + slot * Self.longestName
        if self.lengths[slot] == name.count, Self.equalLowered(name, stored) {
            return self.keys[slot].map { .key($0, owned: false) } ?? .none
        }
        let lowered = name.map(ASCII.lowercased)
        guard lowered != Array("content-type".utf8), lowered != Array("content-length".utf8) else {
            self.store(lowered, key: nil, in: slot)
            return .none
        }
        let upper = lowered.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "_") : $0 - (Self.isLowercase($0) ? 32 : 0) }
        let text = "HTTP_" + String(decoding: upper, as: UTF8.self)
        var interned = Python.string(text)
        guard interned != nil else { return .failed }
        PyUnicode_InternInPlace(&interned)
        let key = interned!
        guard lowered.count <= Self.longestName else { return .key(key, owned: true) }
        self.store(lowered, key: key, in: slot)
        return .key(key, owned: false)
    }

    private func store(_ lowered: [UInt8], key: PythonObject?, in slot: Int) {
        guard lowered.count <= Self.longestName else { return }
        if let old = self.keys[slot] { ssgipy_decref(old) }
        self.keys[slot] = key
        self.lengths[slot] = lowered.count
        lowered.withUnsafeBufferPointer {
            (self.names + slot * Self.longestName).update(from: $0.baseAddress!, count: $0.count)
        }
    }

    private static func equalLowered(_ name: UnsafeRawBufferPointer, _ stored: UnsafeMutablePointer<UInt8>) -> Bool {
        for index in 0..<name.count where ASCII.lowercased(name[index]) != stored[index] {
            return false
        }
        return true
    }

    private static func isLowercase(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
}
