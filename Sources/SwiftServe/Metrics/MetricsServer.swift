import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The operations endpoint (`--metrics-bind`): `/metrics` in the Prometheus text format and
/// `/healthz` (200 while the server takes requests, 503 from the start of a graceful stop). It
/// runs in the master, apart from the application's sockets, so that the application's URL space
/// is untouched and a scrape never waits behind a busy worker.
final class MetricsServer: Sendable {
    private let channel: any Channel
    /// Where it listens, as the log says it.
    let summary: String

    private init(channel: any Channel, summary: String) {
        self.channel = channel
        self.summary = summary
    }

    /// Listens on `target` with an event loop of `group`.
    static func start(
        on target: BindTarget, metrics: ServerMetrics, group: any EventLoopGroup
    ) throws(MetricsServerError) -> MetricsServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(metrics: metrics))
                }
            }
        do {
            let channel: any Channel
            switch target {
            case .tcp(let host, let port):
                channel = try bootstrap.bind(host: host, port: port).wait()
            case .unix(let path):
                channel = try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait()
            }
            let summary: String
            if case .tcp = target, let address = channel.localAddress, let port = address.port {
                let host = address.ipAddress ?? "?"
                summary = host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
            } else {
                summary = target.description
            }
            return MetricsServer(channel: channel, summary: summary)
        } catch {
            throw MetricsServerError(target: target, reason: "\(error)")
        }
    }

    /// Stops listening and closes the connections open to it.
    func close() {
        try? self.channel.close().wait()
    }
}

/// Answers one connection of the operations endpoint.
private final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: ServerMetrics
    private var head: HTTPRequestHead?

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head.take() else { return }
            self.respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var status = HTTPResponseStatus.ok
        var contentType = "text/plain; charset=utf-8"
        var body: String
        var headers = HTTPHeaders()
        if head.method != .GET, head.method != .HEAD {
            status = .methodNotAllowed
            body = "only GET and HEAD\n"
            headers.add(name: "Allow", value: "GET, HEAD")
        } else if path == "/metrics" {
            body = self.metrics.render()
            contentType = PrometheusText.contentType
        } else if path == "/healthz" {
            switch self.metrics.health {
            case .serving: body = "serving\n"
            case .starting: (status, body) = (.serviceUnavailable, "starting\n")
            case .stopping: (status, body) = (.serviceUnavailable, "stopping\n")
            }
        } else {
            status = .notFound
            body = "not found: this endpoint serves /metrics and /healthz\n"
        }
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Cache-Control", value: "no-store")
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        }
        let done = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }
}

/// The operations endpoint could not listen.
public struct MetricsServerError: Error, CustomStringConvertible {
    var target: BindTarget
    var reason: String

    public var description: String {
        "cannot listen on \(self.target) (--metrics-bind): \(self.reason): choose another address, or stop what holds it"
    }
}
