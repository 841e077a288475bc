import NIOCore
import NIOHTTP1
import NIOPosix

/// `NIOHello [PORT] [THREADS]`: answers every request on 127.0.0.1:PORT the way the benchmark's
/// applications do, with SwiftNIO's standard HTTP/1.1 server pipeline and nothing else.
///
/// - `/json`: `{"message":"Hello, World!"}`, encoded with `JSONEncoder`, as `application/json`;
/// - `/bytes`: 64 KiB of `x`;
/// - `/echo` (POST): the request body back;
/// - anything else: the 44-byte plaintext hello.
let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
let threads = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1

let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let bootstrap = ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 2048)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(HelloHandler())
        }
    }
let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
print("listening on \(channel.localAddress!)")
try channel.closeFuture.wait()
