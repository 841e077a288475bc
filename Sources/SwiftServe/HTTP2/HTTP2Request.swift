import NIOHPACK

/// An HTTP/2 request head as the call core reads it (`RequestDescription`): `:method` and `:path`
/// stand for the request line, `:authority` for Host (RFC 9113 §8.3.1), and the `cookie` fields
/// a client may split are joined with `; ` (§8.2.3). Every name and value lies in one array.
struct HTTP2Request: RequestDescription {
    private struct Field {
        var name: Range<Int>
        var value: Range<Int>
        var kind: FieldName
    }

    private var storage: [UInt8] = []
    private var methodRange = 0..<0
    private var targetRange = 0..<0
    private var fields: [Field] = []
    private(set) var bodyLength: Int64

    /// Whether the request is HEAD, whose response carries no body.
    private(set) var isHead = false

    /// Reads `headers`, the decoded HEADERS of a stream; `endStream` when no body follows.
    /// Returns nil when a pseudo-header the server needs is missing (a CONNECT request has no
    /// `:path`, and SSGI no tunnels).
    init?(headers: HPACKHeaders, endStream: Bool) {
        self.bodyLength = endStream ? 0 : -1
        var authority: Range<Int>?
        var hasHost = false
        var cookies: [Range<Int>] = []
        var method: Range<Int>?
        var path: Range<Int>?
        self.storage.reserveCapacity(256)
        for (name, value, _) in headers {
            if name.utf8.first == UInt8(ascii: ":") {
                let range = self.append(value)
                switch name {
                case ":method": method = range
                case ":path": path = range
                case ":authority": authority = range
                default: break
                }
                continue
            }
            if name == "cookie" {
                cookies.append(self.append(value))
                continue
            }
            if name == "host" {
                // :authority, when given, is the Host (§8.3.1).
                if authority != nil { continue }
                hasHost = true
            }
            self.appendField(name: name, value: value)
        }
        guard let method, let path, !path.isEmpty else { return nil }
        self.methodRange = method
        self.targetRange = path
        self.isHead = self.storage[method].elementsEqual("HEAD".utf8)
        if let authority, !hasHost {
            let name = self.append("host")
            self.fields.insert(Field(name: name, value: authority, kind: .host), at: 0)
        }
        if !cookies.isEmpty {
            let name = self.append("cookie")
            let start = self.storage.count
            for (index, range) in cookies.enumerated() {
                if index > 0 { self.storage.append(contentsOf: "; ".utf8) }
                self.storage.append(contentsOf: self.storage[range])
            }
            self.fields.append(Field(name: name, value: start..<self.storage.count, kind: .other))
        }
        if !endStream, let length = self.fields.first(where: { $0.kind == .contentLength }) {
            self.bodyLength = ResponseHead.decimal(self.storage[length.value]).map(Int64.init) ?? -1
        }
    }

    private mutating func append(_ string: String) -> Range<Int> {
        let start = self.storage.count
        self.storage.append(contentsOf: string.utf8)
        return start..<self.storage.count
    }

    private mutating func appendField(name: String, value: String) {
        let nameRange = self.append(name)
        let valueRange = self.append(value)
        let kind = self.storage.withUnsafeBytes { FieldName(UnsafeRawBufferPointer(rebasing: $0[nameRange])) }
        self.fields.append(Field(name: nameRange, value: valueRange, kind: kind))
    }

    var method: ArraySlice<UInt8> { self.storage[self.methodRange] }
    var target: ArraySlice<UInt8> { self.storage[self.targetRange] }
    var isHTTP10: Bool { false }
    var isHTTP2: Bool { true }
    var fieldCount: Int { self.fields.count }
    func name(at index: Int) -> ArraySlice<UInt8> { self.storage[self.fields[index].name] }
    func value(at index: Int) -> ArraySlice<UInt8> { self.storage[self.fields[index].value] }
    func kind(at index: Int) -> FieldName { self.fields[index].kind }
}
