import HTTPTypes
import Hummingbird
import NIOCore

/// A Hummingbird `ResponseBodyWriter` that keeps what is written in memory, for a body short
/// enough to hand the server at once: the response then costs no streaming task and no wait for
/// the server after each buffer.
///
/// Copies of the writer share one store, since Hummingbird takes the writer by value.
/// SSGI 1.0 has no trailers: trailing headers given to `finish` are dropped.
struct CollectingBodyWriter: ResponseBodyWriter {
    /// The bytes written so far, shared by the writer's copies.
    final class Storage {
        var bytes: [UInt8] = []
    }

    let storage: Storage

    /// A writer with room for `capacity` bytes.
    init(capacity: Int) {
        self.storage = Storage()
        self.storage.bytes.reserveCapacity(capacity)
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        self.storage.bytes.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
