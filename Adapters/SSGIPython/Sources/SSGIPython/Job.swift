import CSSGI

/// One request handed over by the server's `handle`, waiting for a Python thread: everything in
/// it stays valid until the thread calls `finish`.
struct Job: @unchecked Sendable {
    let request: UnsafePointer<ssgi_request>
    let call: OpaquePointer
    let ops: UnsafePointer<ssgi_server_ops>
}
