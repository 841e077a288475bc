import Hummingbird
import Logging
import SSGI

/// Exports a Hummingbird router to the server; call it from the `@_cdecl` entry point and return its
/// result.
///
/// ```swift
/// import Hummingbird
/// import SSGIHummingbird
///
/// @_cdecl("app")
/// public func app() -> UnsafeRawPointer {
///     exportHummingbird(name: "hello") {
///         let router = Router(context: SSGIRequestContext.self)
///         router.get("hello") { _, _ in "Hello world from Hummingbird!\n" }
///         return router
///     }
/// }
/// ```
///
/// The server runs `makeRouter` once per process, in its startup hook, and builds the responder from
/// what it returns (a `Router`, or a `HummingbirdRouter` `RouterBuilder`); a throw there stops the
/// server with the error. Each request then goes through the responder's middleware and routes, as it
/// would behind Hummingbird's own server. The router's context must be made from a
/// ``SSGIRequestContextSource``: ``SSGIRequestContext``, or a context of the application's own.
///
/// To serve a responder that is not built from a router, use ``HummingbirdAdapter`` directly.
///
/// - Parameters:
///   - name: The application's name in the server's logs, and the label of the default logger.
///   - logger: The logger handed to request contexts; by default one labelled `name`, at the level
///     `LOG_LEVEL` names, as Hummingbird's `Application` makes it.
///   - shutdown: Runs once when the server stops, after the last request: close what `makeRouter` opened.
///   - makeRouter: Sets up the router: middleware, routes, and whatever they need.
public func exportHummingbird<Builder: HTTPResponderBuilder>(
    name: String = "hummingbird",
    logger: Logger? = nil,
    shutdown: (@Sendable () async throws -> Void)? = nil,
    _ makeRouter: @escaping @Sendable () async throws -> Builder
) -> UnsafeRawPointer
where Builder: SendableMetatype, Builder.Responder.Context: InitializableFromSource<SSGIRequestContextSource> {
    HummingbirdAdapter(
        logger: logger ?? HummingbirdAdapter<Builder.Responder>.defaultLogger(label: name),
        shutdown: shutdown,
        makeResponder: { try await makeRouter().buildResponder() }
    ).export(name: name)
}
