import Hummingbird
import Logging
import NIOConcurrencyHelpers
import SSGI

/// Serves a Hummingbird responder (a router with its middleware) as an SSGI application, without
/// Hummingbird's HTTP server.
///
/// The server owns the sockets and HTTP/1.1; Hummingbird keeps what makes it Hummingbird: routing,
/// middleware, request decoding, response encoding and its error responses. `start()` builds the
/// responder; `respond(_:_:)` turns each environ into a `Request` whose body streams from
/// `ssgi.input`, runs the responder with a context made from a ``SSGIRequestContextSource``, and
/// streams the `Response` back through the SDK's writer; `stop()` runs the shutdown hook.
/// `export(name:)` wires the three to the server, as ``exportHummingbird(name:logger:shutdown:_:)`` does.
public final class HummingbirdAdapter<Responder: HTTPResponder>: Sendable
where Responder.Context: InitializableFromSource<SSGIRequestContextSource> {
    /// Builds the responder, once per process, in the server's startup hook.
    public typealias MakeResponder = @Sendable () async throws -> Responder

    /// The logger request contexts start from; each request's copy carries its `hb.request.id`.
    public let logger: Logger
    private let makeResponder: MakeResponder
    private let shutdown: (@Sendable () async throws -> Void)?
    private let state = NIOLockedValueBox(State.idle)

    /// An adapter for the responder `makeResponder` builds.
    ///
    /// - Parameters:
    ///   - logger: The logger handed to request contexts.
    ///   - shutdown: Runs once in `stop()`.
    ///   - makeResponder: Builds the responder in `start()`; a throw there fails `start()`.
    public init(
        logger: Logger,
        shutdown: (@Sendable () async throws -> Void)? = nil,
        makeResponder: @escaping MakeResponder
    ) {
        self.logger = logger
        self.shutdown = shutdown
        self.makeResponder = makeResponder
    }

    /// The logger Hummingbird's `Application` would make: labelled `label`, at the level the
    /// `LOG_LEVEL` environment variable names (`trace` ... `critical`), else `info`.
    static func defaultLogger(label: String) -> Logger {
        var logger = Logger(label: label)
        if let level = Environment().get("LOG_LEVEL").flatMap({ Logger.Level(rawValue: $0) }) {
            logger.logLevel = level
        }
        return logger
    }

    /// Builds the responder: the server's startup hook. A failure is rethrown wrapped in a
    /// ``HummingbirdAdapterError``, and the server then refuses to start and prints it.
    public func start() async throws {
        try self.state.withLockedValue { state in
            guard case .idle = state else { throw HummingbirdAdapterError.alreadyStarted }
            state = .starting
        }
        do {
            let responder = try await self.makeResponder()
            self.state.withLockedValue { $0 = .running(responder) }
        } catch {
            self.state.withLockedValue { $0 = .idle }
            throw HummingbirdAdapterError.startupFailed(error)
        }
    }

    /// Drops the responder and runs the shutdown hook: the server's shutdown hook. Requests that
    /// arrive afterwards fail.
    public func stop() async throws {
        let wasRunning = self.state.withLockedValue { state -> Bool in
            defer { state = .stopped }
            if case .running = state { return true }
            return false
        }
        if wasRunning, let shutdown = self.shutdown {
            try await shutdown()
        }
    }

    /// Answers one request: the SSGI application the adapter exports.
    ///
    /// An error the responder throws (one a router did not already turn into a response, because it
    /// is not an `HTTPResponseError` or came from outside the router) becomes an empty
    /// `500 Internal Server Error`, as Hummingbird's server answers it, and is written to `ssgi.errors`.
    public func respond(_ environ: Environ, _ startResponse: StartResponse) async throws -> SSGI.ResponseBody {
        let responder = try self.state.withLockedValue { state in
            guard case .running(let responder) = state else { throw HummingbirdAdapterError.notRunning }
            return responder
        }
        let request = try Request(environ: environ)
        var logger = self.logger
        logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
        let response = await withLogger(logger) { logger in
            let context = Responder.Context(source: SSGIRequestContextSource(logger: logger, environ: environ))
            do {
                return try await responder.respond(to: request, context: context)
            } catch {
                environ.errors.write(
                    "Hummingbird responder failed on \(environ.requestMethod) \(environ.requestURI): \(error)")
                return Response(status: .internalServerError, body: .init())
            }
        }
        return HummingbirdResponse(response).send(with: startResponse)
    }

    /// Exports this adapter to the server, with `start()` and `stop()` as the startup and shutdown
    /// hooks and `respond(_:_:)` as the application, run on Swift concurrency.
    public func export(name: String = "hummingbird") -> UnsafeRawPointer {
        exportApplication(
            name: name,
            startup: { _ in try await self.start() },
            shutdown: { try await self.stop() },
            { environ, startResponse in try await self.respond(environ, startResponse) }
        )
    }
}

extension HummingbirdAdapter {
    /// Where the adapter is in its life.
    private enum State: Sendable {
        case idle
        case starting
        case running(Responder)
        case stopped
    }
}
