import CSSGI

/// The C form of a request: an `ssgi_request`, its header array and every byte they point to,
/// in one block of memory.
///
/// A connection keeps one arena and refills it for each of its requests, so that a request costs
/// no allocation once the block is large enough: the connection serves one request at a time, and
/// the specification ends the validity of every pointer in the request at `finish`, before the
/// next request is read. Each request's call keeps the arena alive until that `finish`.
package final class RequestArena {
    private var memory: UnsafeMutableRawPointer?
    private var capacity = 0

    package init() {}

    /// Lays out a request of `headerCount` header fields whose bytes take at most `byteCount`:
    /// `write` copies each value in with the writer it is given and returns the `ssgi_request`,
    /// which the arena keeps. The result is valid until the next `fill`.
    package func fill(
        headerCount: Int, byteCount: Int, _ write: (inout ByteWriter) -> ssgi_request
    ) -> UnsafePointer<ssgi_request> {
        let headersOffset = MemoryLayout<ssgi_request>.stride
        let bytesOffset = headersOffset + headerCount * MemoryLayout<ssgi_header>.stride
        let memory = self.reserve(bytesOffset + byteCount)
        let headers = (memory + headersOffset).bindMemory(to: ssgi_header.self, capacity: headerCount)
        var writer = ByteWriter(
            cursor: memory + bytesOffset, end: memory + bytesOffset + byteCount, headers: headers,
            headerCapacity: headerCount)
        let request = memory.bindMemory(to: ssgi_request.self, capacity: 1)
        request.initialize(to: write(&writer))
        return UnsafePointer(request)
    }

    /// The block, at least `byteCount` bytes long; grown to the next power of two when too small.
    private func reserve(_ byteCount: Int) -> UnsafeMutableRawPointer {
        if let memory = self.memory, byteCount <= self.capacity { return memory }
        self.memory?.deallocate()
        let capacity = max(1024, 1 << (Int.bitWidth - (byteCount - 1).leadingZeroBitCount))
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: capacity, alignment: MemoryLayout<ssgi_request>.alignment)
        self.memory = memory
        self.capacity = capacity
        return memory
    }

    deinit {
        self.memory?.deallocate()
    }
}

/// Appends byte runs to an arena's block and returns each as an `ssgi_bytes`, and lays out its
/// header array.
///
package struct ByteWriter {
    private var cursor: UnsafeMutableRawPointer
    private let end: UnsafeMutableRawPointer
    private let headerArray: UnsafeMutablePointer<ssgi_header>
    private let headerCapacity: Int
    /// The header fields added so far.
    package private(set) var headerCount = 0

    init(
        cursor: UnsafeMutableRawPointer, end: UnsafeMutableRawPointer, headers: UnsafeMutablePointer<ssgi_header>,
        headerCapacity: Int
    ) {
        self.cursor = cursor
        self.end = end
        self.headerArray = headers
        self.headerCapacity = headerCapacity
    }

    /// The header array, for `ssgi_request.headers`: nil when no field was added.
    package var headers: UnsafePointer<ssgi_header>? {
        self.headerCount > 0 ? UnsafePointer(self.headerArray) : nil
    }

    /// An empty value, which takes no bytes.
    package func empty() -> ssgi_bytes {
        ssgi_bytes(data: self.cursor.assumingMemoryBound(to: UInt8.self), length: 0)
    }

    /// Copies `bytes` with one `memcpy`.
    package mutating func append(_ bytes: UnsafeRawBufferPointer) -> ssgi_bytes {
        precondition(self.cursor + bytes.count <= self.end, "more request bytes than the arena was filled for")
        let start = self.cursor.assumingMemoryBound(to: UInt8.self)
        if let base = bytes.baseAddress, bytes.count > 0 {
            self.cursor.copyMemory(from: base, byteCount: bytes.count)
        }
        self.cursor += bytes.count
        return ssgi_bytes(data: start, length: bytes.count)
    }

    /// Copies contiguous bytes (an array, a buffer, a native string's UTF-8) with one `memcpy`;
    /// bytes stored otherwise are copied one by one.
    package mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ssgi_bytes {
        if let copied = bytes.withContiguousStorageIfAvailable({ self.append(UnsafeRawBufferPointer($0)) }) {
            return copied
        }
        let start = self.cursor.assumingMemoryBound(to: UInt8.self)
        var count = 0
        for byte in bytes {
            precondition(self.cursor + 1 <= self.end, "more request bytes than the arena was filled for")
            self.cursor.storeBytes(of: byte, as: UInt8.self)
            self.cursor += 1
            count += 1
        }
        return ssgi_bytes(data: start, length: count)
    }

    /// Adds a header field, its name and value copied.
    package mutating func appendHeader<Name: Collection<UInt8>, Value: Collection<UInt8>>(name: Name, value: Value) {
        let name = self.append(name)
        self.appendHeader(name, self.append(value))
    }

    /// Adds a header field whose name and value are already in the arena.
    package mutating func appendHeader(_ name: ssgi_bytes, _ value: ssgi_bytes) {
        precondition(self.headerCount < self.headerCapacity, "more header fields than the arena was filled for")
        (self.headerArray + self.headerCount).initialize(to: ssgi_header(name: name, value: value))
        self.headerCount += 1
    }
}
