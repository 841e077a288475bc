import NIOPosix
import Vapor

/// `VaporHello [PORT] [THREADS]`: the Vapor adapter's example application, as far as `GET /hello`
/// goes, on Vapor's own HTTP/1.1 server bound to 127.0.0.1:PORT with THREADS event loops.
///
/// The same middleware (`ServedByMiddleware` outside Vapor's defaults) and the same route and body
/// as `Adapters/SSGIVapor/Sources/VaporExample`, so that scripts/bench compares one application on
/// two servers. Vapor's `serve` command parses no arguments here: the port is set in code.
@main
enum VaporHello {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
        let threads = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1

        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let app = try await Application.make(
            Environment(name: "production", arguments: ["VaporHello"]), .shared(group))
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        app.middleware.use(ServedByMiddleware(), at: .beginning)
        app.get("hello") { _ in
            "Hello world from Vapor!\n"
        }
        do {
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        try await group.shutdownGracefully()
    }
}
