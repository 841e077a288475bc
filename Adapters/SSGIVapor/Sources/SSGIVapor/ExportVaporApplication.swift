import SSGI
import Vapor

/// Exports a Vapor application to the server; call it from the `@_cdecl` entry point and return its
/// result.
///
/// ```swift
/// import SSGIVapor
/// import Vapor
///
/// @_cdecl("app")
/// public func app() -> UnsafeRawPointer {
///     exportVaporApplication(name: "hello") { app in
///         app.get("hello") { _ in "Hello world from Vapor!\n" }
///     }
/// }
/// ```
///
/// The server calls `configure` once per process in its startup hook, on a fresh `Application`, then
/// boots it; a throw there stops the server with the error. It shuts the application down in its
/// shutdown hook. In between, every request goes through the application's middleware and routes.
///
/// - Parameters:
///   - name: The application's name in the server's logs.
///   - environment: The Vapor environment; by default `VAPOR_ENV`'s, else `production`
///     (see `VaporAdapter.defaultEnvironment`). Its arguments are never parsed as commands.
///   - maxBodySize: The longest request body the adapter collects, for any route; nil for
///     `app.routes.defaultMaxBodySize` as `configure` leaves it. Longer bodies are answered 413.
///     Raise it to the largest `body: .collect(maxSize:)` of your routes: route limits are not seen.
///   - eventLoop: Where each request's responder runs: on one of the application's event loops (the
///     default, as under Vapor's server), or on the server's calling thread, without a thread hop
///     (see `RequestEventLoop`).
///   - configure: Sets up the application: middleware, routes, services.
public func exportVaporApplication(
    name: String = "vapor",
    environment: Environment = VaporAdapter.defaultEnvironment,
    maxBodySize: ByteCount? = nil,
    eventLoop: RequestEventLoop = .applicationEventLoop,
    configure: @escaping VaporAdapter.Configure
) -> UnsafeRawPointer {
    VaporAdapter(environment: environment, maxBodySize: maxBodySize, eventLoop: eventLoop, configure: configure)
        .export(name: name)
}
