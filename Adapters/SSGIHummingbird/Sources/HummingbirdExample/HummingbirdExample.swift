import Hummingbird
import Logging
import SSGIHummingbird

/// The example Hummingbird application: `swiftserve .build/debug/libhummingbirdexample.so:app`.
///
/// The router is built in the server's startup hook, and the shutdown hook runs when the server
/// stops; both say so in the log.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    let logger = Logger(label: "hummingbirdexample")
    return exportHummingbird(
        name: "hummingbirdexample",
        logger: logger,
        shutdown: { logger.info("hummingbirdexample shut down") },
        {
            let router = ExampleRouter.make()
            logger.info("hummingbirdexample started")
            return router
        }
    )
}
