/// The 64-bit FNV-1a hash of a byte stream, fed in chunks: what `POST /upload` answers, so that a
/// test can check every byte arrived, in order.
struct FNV1aHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var count = 0

    /// Adds the next bytes of the stream.
    mutating func add(_ chunk: some Sequence<UInt8>) {
        for byte in chunk {
            self.value = (self.value ^ UInt64(byte)) &* 0x100_0000_01b3
            self.count += 1
        }
    }
}
