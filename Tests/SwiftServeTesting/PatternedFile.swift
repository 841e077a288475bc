import Foundation

/// A file of `count` patterned bytes in the temporary folder, for curl to upload and a test to
/// compare with what comes back; removed by `remove()`.
public struct PatternedFile: Sendable {
    /// Where the file is.
    public let path: String
    /// What it holds.
    public let bytes: [UInt8]

    public init(count: Int) throws {
        self.path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftserve-upload-\(UUID().uuidString).bin").path
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8) }
        self.bytes = bytes
        try Data(bytes).write(to: URL(fileURLWithPath: self.path))
    }

    /// The 64-bit FNV-1a hash of the bytes, in hexadecimal: what an app that hashes an upload
    /// answers for it.
    public var fnv1a: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in self.bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
