/// Byte scans over the UTF-8 of a request's strings (`string.utf8.span`), for the checks that run
/// on every request.
///
/// A `Span` reads the bytes where the string stores them, a few instructions a byte; iterating a
/// `String.UTF8View` costs several times that, since each step goes through the string's
/// representation (small or native) again.
extension Span<UInt8> {
    /// The offset of the first `byte`, or nil.
    func firstIndex(of byte: UInt8) -> Int? {
        for index in self.indices where self[index] == byte {
            return index
        }
        return nil
    }

    /// Whether `byte` occurs.
    func contains(_ byte: UInt8) -> Bool {
        self.firstIndex(of: byte) != nil
    }
}
