/// A request as a connection front-end describes it to the call core, which works the environ
/// out from it: the request line's parts, the header fields in the order received, and how long
/// the body is. HTTP/1.1 gives the head it parsed (`RequestHead.Parts`); an HTTP/2 stream will
/// give its decoded fields, `:method`, `:path` and `:authority` standing for the request line and
/// Host.
protocol RequestDescription {
    associatedtype Bytes: RandomAccessCollection<UInt8> where Bytes.Index == Int

    /// The method as sent.
    var method: Bytes { get }
    /// The request target as sent.
    var target: Bytes { get }
    /// Whether the request is HTTP/1.0 (else HTTP/1.1, or a later version that reads as it).
    var isHTTP10: Bool { get }
    /// Whether the request came on an HTTP/2 stream.
    var isHTTP2: Bool { get }
    /// The body's length: -1 when it is chunked (unknown), 0 without a body.
    var bodyLength: Int64 { get }
    var fieldCount: Int { get }
    func name(at index: Int) -> Bytes
    /// The value without the whitespace around it.
    func value(at index: Int) -> Bytes
    /// What the server makes of the field's name.
    func kind(at index: Int) -> FieldName
}

extension RequestDescription {
    var isHTTP2: Bool { false }
}

extension RequestHead.Parts: RequestDescription {
    var isHTTP10: Bool { self.head.versionMinor == 0 }

    var bodyLength: Int64 {
        switch self.head.framing {
        case .none: 0
        case .chunked: -1
        case .length(let length): Int64(clamping: length)
        }
    }

    var fieldCount: Int { self.head.fields.count }
    func name(at index: Int) -> UnsafeRawBufferPointer { self.name(self.head.fields[index]) }
    func value(at index: Int) -> UnsafeRawBufferPointer { self.value(self.head.fields[index]) }
    func kind(at index: Int) -> FieldName { self.head.fields[index].name }
}
