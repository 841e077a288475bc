import NIOCore

/// What the streams of one HTTP/2 connection share, on its event loop: who the client is (the
/// environ's connection values), the `Date`/`Server` lines, formatted once a second, and the
/// request ids it makes (`--request-id`). Touched only on the connection's event loop, where its
/// streams are served too.
final class HTTP2ConnectionState: @unchecked Sendable {
    var connection: ConnectionInfo
    var serverHeaders: ServerHeaders
    var requestIds: RequestIdGenerator?

    init(connection: ConnectionInfo, serverSoftware: String, makesRequestIds: Bool = false) {
        self.connection = connection
        self.serverHeaders = ServerHeaders(serverSoftware: serverSoftware)
        self.requestIds = makesRequestIds ? RequestIdGenerator() : nil
    }
}
