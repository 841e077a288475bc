/// Writes body bytes ahead of (or instead of) the returned body, as PEP 3333's `write` does.
///
/// The asynchronous `write` returns when the server can take more, which is how a slow client
/// slows a streaming application down instead of filling memory.
public struct ResponseWriter: Sendable {
    enum Backend: Sendable {
        case server(RequestState)
        case custom(
            write: @Sendable ([UInt8]) async throws -> Void,
            writeBlocking: @Sendable ([UInt8]) throws -> Void)
    }

    let backend: Backend

    init(state: RequestState) {
        self.backend = .server(state)
    }

    /// A writer that hands chunks to the given functions, for middleware and tests.
    public init(
        write: @escaping @Sendable ([UInt8]) async throws -> Void,
        writeBlocking: @escaping @Sendable ([UInt8]) throws -> Void
    ) {
        self.backend = .custom(write: write, writeBlocking: writeBlocking)
    }

    /// Sends `bytes` and waits until the server can take more.
    public func write(_ bytes: [UInt8]) async throws {
        switch self.backend {
        case .server(let state): try await state.write(bytes)
        case .custom(let write, _): try await write(bytes)
        }
    }

    /// Sends `bytes`. On a thread-pool application this blocks until the server can take more; an
    /// inline application never waits.
    public func write(_ bytes: [UInt8]) throws {
        switch self.backend {
        case .server(let state): try state.writeBlocking(bytes)
        case .custom(_, let writeBlocking): try writeBlocking(bytes)
        }
    }

    /// Sends a string as UTF-8 and waits until the server can take more.
    public func write(_ string: String) async throws {
        try await self.write(Array(string.utf8))
    }

    /// Sends a string as UTF-8.
    public func write(_ string: String) throws {
        try self.write(Array(string.utf8))
    }
}
