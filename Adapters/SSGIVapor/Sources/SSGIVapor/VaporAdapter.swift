import NIOConcurrencyHelpers
import NIOCore
import SSGI
import Vapor

/// Serves a Vapor `Application`'s routes as an SSGI application, without Vapor's HTTP server.
///
/// The server owns the sockets and HTTP/1.1; Vapor keeps what makes it Vapor: routing, middleware,
/// content coding, its error responses. `start()` makes, configures and boots the application (never
/// runs its commands, so no HTTP server starts and nothing parses the process's arguments);
/// `respond(_:_:)` turns each environ into a `Request`, hands it to the booted application's
/// responder on one of its event loops, and sends the `Response` back; `stop()` shuts it down.
/// `exportVaporApplication(name:environment:maxBodySize:configure:)` wires the three to the server.
///
/// Bodies are collected, both ways: a request body before routing, up to `maxBodySize` (a `.stream`
/// route gets it as one chunk), and a streaming response body before it is sent. Vapor 4's public API
/// can neither feed a `Request` a streaming body nor run a `Response`'s stream callback with a writer
/// other than its own HTTP server's.
public final class VaporAdapter: Sendable {
    /// Configures the application: its middleware, routes and services, as `configure(_:)` does in a
    /// Vapor project. It runs once per process, in the server's startup hook, before the application boots.
    public typealias Configure = @Sendable (Application) async throws -> Void

    /// The environment an adapter runs its application in unless told otherwise: `VAPOR_ENV`'s when it
    /// is set (`prod`, `dev` and `test` spelled as Vapor accepts them), `production` otherwise. Its
    /// arguments hold only an executable name, so that Vapor never sees the server's command line.
    public static var defaultEnvironment: Environment {
        let name: String
        switch Environment.get("VAPOR_ENV") {
        case nil, "", "prod", "production": name = "production"
        case "dev", "development": name = "development"
        case "test", "testing": name = "testing"
        case let other?: name = other
        }
        return Environment(name: name, arguments: ["swiftserve"])
    }

    private let environment: Environment
    private let maxBodySize: ByteCount?
    private let configure: Configure
    private let state = NIOLockedValueBox(State.idle)

    /// An adapter for the application `configure` sets up.
    ///
    /// - Parameters:
    ///   - environment: The application's environment; see `defaultEnvironment`.
    ///   - maxBodySize: The longest request body the adapter collects; a longer one is answered
    ///     413 through the application's middleware. `nil` uses `app.routes.defaultMaxBodySize` as it
    ///     stands after `configure` (Vapor's default is 16 KB).
    ///   - configure: Sets up the application before it boots.
    public init(
        environment: Environment = VaporAdapter.defaultEnvironment,
        maxBodySize: ByteCount? = nil,
        configure: @escaping Configure
    ) {
        self.environment = environment
        self.maxBodySize = maxBodySize
        self.configure = configure
    }

    /// The application while it is running (between `start()` and `stop()`), nil otherwise.
    public var application: Application? {
        self.state.withLockedValue { state in
            if case .running(let running) = state { return running.application }
            return nil
        }
    }

    /// Makes the application, runs `configure` on it and boots it: the server's startup hook.
    ///
    /// A failure shuts down what was made and is rethrown, wrapped in a `VaporAdapterError` that
    /// says which step failed; the server then refuses to start and prints it.
    public func start() async throws {
        try self.state.withLockedValue { state in
            guard case .idle = state else { throw VaporAdapterError.alreadyStarted }
            state = .starting
        }
        do {
            let running = try await self.makeRunningApplication()
            self.state.withLockedValue { $0 = .running(running) }
        } catch {
            self.state.withLockedValue { $0 = .idle }
            throw error
        }
    }

    /// Shuts the application down: the server's shutdown hook. Requests that arrive afterwards fail.
    public func stop() async throws {
        let running = self.state.withLockedValue { state -> RunningApplication? in
            defer { state = .stopped }
            if case .running(let running) = state { return running }
            return nil
        }
        try await running?.application.asyncShutdown()
    }

    /// Answers one request: the SSGI application the adapter exports.
    public func respond(_ environ: Environ, _ startResponse: StartResponse) async throws -> ResponseBody {
        let running = try self.state.withLockedValue { state in
            guard case .running(let running) = state else { throw VaporAdapterError.notRunning }
            return running
        }
        let application = running.application
        let eventLoop = application.eventLoopGroup.next()
        let responder: any Responder
        let body: ByteBuffer?
        do {
            body = try await RequestBodyCollector.collect(environ, limit: running.maxBodySize)
            responder = running.responder
        } catch is RequestBodyTooLarge {
            body = nil
            responder = running.payloadTooLargeResponder
        }
        let request = Request(
            environ: environ, collectedBody: body, application: application, logger: application.logger,
            on: eventLoop)
        let response = try await eventLoop.flatSubmit { responder.respond(to: request) }.get()
        return try await VaporResponse(response, for: request).send(with: startResponse, on: eventLoop)
    }

    /// Exports this adapter to the server, with `start()` and `stop()` as the startup and shutdown
    /// hooks and `respond(_:_:)` as the application, run on Swift concurrency.
    public func export(name: String = "vapor") -> UnsafeRawPointer {
        exportApplication(
            name: name,
            startup: { _ in try await self.start() },
            shutdown: { try await self.stop() },
            { environ, startResponse in try await self.respond(environ, startResponse) }
        )
    }

    private func makeRunningApplication() async throws -> RunningApplication {
        let application: Application
        do {
            application = try await Application.make(self.environment)
        } catch {
            throw VaporAdapterError.startupFailed(step: "making", error)
        }
        do {
            try await self.configure(application)
        } catch {
            try? await application.asyncShutdown()
            throw VaporAdapterError.startupFailed(step: "configuring", error)
        }
        do {
            try await application.asyncBoot()
        } catch {
            try? await application.asyncShutdown()
            throw VaporAdapterError.startupFailed(step: "booting", error)
        }
        // As Vapor's HTTP server does when it starts: the responder (router and middleware) is
        // built once, from the routes and middleware as configured.
        let middleware = application.middleware.resolve()
        return RunningApplication(
            application: application,
            responder: application.responder.current,
            payloadTooLargeResponder: middleware.makeResponder(
                chainingTo: FailingResponder(error: Abort(.payloadTooLarge))),
            maxBodySize: (self.maxBodySize ?? application.routes.defaultMaxBodySize).value
        )
    }
}

extension VaporAdapter {
    /// Where the adapter is in its life.
    private enum State: Sendable {
        case idle
        case starting
        case running(RunningApplication)
        case stopped
    }

    /// A booted application and what answering a request needs from it.
    private struct RunningApplication: Sendable {
        let application: Application
        /// The application's responder: router and middleware.
        let responder: any Responder
        /// The application's middleware around a 413, for a body over `maxBodySize`: Vapor's
        /// own answer to a body over a route's limit.
        let payloadTooLargeResponder: any Responder
        let maxBodySize: Int
    }
}
