import NIOCore

/// What the streams of one HTTP/2 connection share, on its event loop: who the client is (the
/// environ's connection values) and the `Date`/`Server` lines, formatted once a second. Touched
/// only on the connection's event loop, where its stream channels run too.
final class HTTP2ConnectionState: @unchecked Sendable {
    var connection: ConnectionInfo
    var serverHeaders: ServerHeaders

    init(connection: ConnectionInfo, serverSoftware: String) {
        self.connection = connection
        self.serverHeaders = ServerHeaders(serverSoftware: serverSoftware)
    }
}
