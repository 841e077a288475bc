/// ASCII byte helpers for the words of the protocol: header names, transfer codings, connection
/// options, which compare without regard to case (RFC 9110 §5.1). The server, the SDK and the
/// frameworks all compare names this one way.
public enum ASCII {
    /// Whether `bytes` equals `lowercase` without regard to ASCII case; `lowercase` is given in
    /// lower case.
    @inlinable
    public static func equalsIgnoringCase<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ lowercase: StaticString) -> Bool {
        // Most names differ in length: those are told apart before a byte is compared.
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { wanted in
            // A native string's UTF-8 is read where it is stored, a few instructions a byte;
            // stepping through a `String.UTF8View` costs several times that.
            bytes.withContiguousStorageIfAvailable { bytes in
                for index in bytes.indices where Self.lowercased(bytes[index]) != wanted[index] {
                    return false
                }
                return true
            } ?? zip(bytes, wanted).allSatisfy { Self.lowercased($0) == $1 }
        }
    }

    /// The byte in lower case when it is an ASCII capital letter, else as it is.
    @inlinable
    public static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte + 32 : byte
    }
}
