import Dispatch

/// Exports a synchronous application to the server; call it from the `@_cdecl` entry point and
/// return its result.
///
/// ```swift
/// @_cdecl("app")
/// public func app() -> UnsafeRawPointer {
///     exportApplication(execution: .inline) { environ, startResponse in
///         startResponse("200 OK", [("Content-Type", "text/plain")])
///         return ["Hello world!\n"]
///     }
/// }
/// ```
///
/// - Parameters:
///   - name: The application's name in the server's logs.
///   - execution: `.threadPool` (the default) when the code may block, `.inline` when it never does.
///   - startup: Runs once before the first request, with what the server tells the application
///     (`ServerInfo`: its arguments, flags, the server's name); throwing stops the server with the error.
///   - shutdown: Runs once when the server stops.
public func exportApplication(
    name: String = "app",
    execution: ExecutionMode = .threadPool,
    startup: (@Sendable (ServerInfo) async throws -> Void)? = nil,
    shutdown: (@Sendable () async throws -> Void)? = nil,
    _ application: @escaping SyncApplication
) -> UnsafeRawPointer {
    ApplicationDescriptor.make(
        ExportedApplication(
            name: name, handler: .sync(application, execution), startup: startup, shutdown: shutdown))
}

/// Exports an asynchronous application, run on Swift concurrency, to the server.
///
/// Each request's task starts on the server's I/O thread that received the request and runs
/// there until it first suspends: an application that answers without awaiting anything is
/// served without a thread hop. When the server completes a read or a write it awaited, the task
/// carries on on that I/O thread; after any other await (a database, a sleep, a `Task.yield()`),
/// on the global concurrent executor. It must not block, and long computation between awaits on
/// the I/O thread holds up that thread's connections.
public func exportApplication(
    name: String = "app",
    startup: (@Sendable (ServerInfo) async throws -> Void)? = nil,
    shutdown: (@Sendable () async throws -> Void)? = nil,
    _ application: @escaping AsyncApplication
) -> UnsafeRawPointer {
    ApplicationDescriptor.make(
        ExportedApplication(name: name, handler: .async(application), startup: startup, shutdown: shutdown))
}

/// Exports an asynchronous application with a synchronous part that answers, at once, the
/// requests it can: `immediate` runs inside the server's call, on the I/O thread that received the
/// request, and a request it answers costs no task; a request it returns nil for goes to
/// `application`, which runs as an asynchronous application exported alone does.
///
/// ```swift
/// exportApplication(
///     immediate: { environ, startResponse in
///         guard environ.input.isKnownEmpty else { return nil }  // a body to read: asynchronously
///         startResponse("200 OK", [("Content-Type", "text/plain")])
///         return ["Hello world!\n"]
///     },
///     { environ, startResponse in
///         let body = try await environ.input.readAll(limit: 1 << 20)
///         startResponse("200 OK", [("Content-Type", "text/plain")])
///         return ["\(body.count) bytes\n"]
///     })
/// ```
///
/// It suits a framework whose views are synchronous: starting a task costs a request several
/// thousand instructions and a few allocations, which one that needs no `await` then does not
/// pay. `immediate` must not block, since it holds up every connection of its I/O thread, and it
/// decides before calling `startResponse`: once it has called it, it must answer. Both parts may
/// run while another request's do, so the application is declared `SSGI_EXECUTION_CONCURRENT`.
public func exportApplication(
    name: String = "app",
    startup: (@Sendable (ServerInfo) async throws -> Void)? = nil,
    shutdown: (@Sendable () async throws -> Void)? = nil,
    immediate: @escaping ImmediateApplication,
    _ application: @escaping AsyncApplication
) -> UnsafeRawPointer {
    ApplicationDescriptor.make(
        ExportedApplication(
            name: name, handler: .immediate(immediate, application), startup: startup, shutdown: shutdown))
}

/// Everything the SDK keeps about an exported application.
final class ExportedApplication: Sendable {
    let name: String
    let handler: ApplicationHandler
    let startup: (@Sendable (ServerInfo) async throws -> Void)?
    let shutdown: (@Sendable () async throws -> Void)?

    init(
        name: String, handler: ApplicationHandler, startup: (@Sendable (ServerInfo) async throws -> Void)?,
        shutdown: (@Sendable () async throws -> Void)?
    ) {
        self.name = name
        self.handler = handler
        self.startup = startup
        self.shutdown = shutdown
    }

    /// Runs the application for one request and finishes it, whatever happens.
    func run(_ environ: Environ, _ state: RequestState) {
        switch self.handler {
        case .sync(let application, .inline):
            Self.runSync(application, environ, state)
        case .sync(let application, .threadPool):
            DispatchQueue.global().async { Self.runSync(application, environ, state) }
        case .async(let application):
            Self.runAsync(application, environ, state)
        case .immediate(let immediate, let application):
            Self.runImmediate(immediate, application, environ, state)
        }
    }

    private static func runAsync(_ application: @escaping AsyncApplication, _ environ: Environ, _ state: RequestState) {
        Self.startTask {
            do {
                let body = try await application(environ, StartResponse(state: state))
                await Self.send(body, state)
            } catch {
                state.fail(error, cleanup: nil)
            }
        }
    }

    /// Answers with `immediate`'s body, or, when it returns nil, runs `application`.
    private static func runImmediate(
        _ immediate: ImmediateApplication, _ application: @escaping AsyncApplication, _ environ: Environ,
        _ state: RequestState
    ) {
        let body: ResponseBody?
        do {
            body = try immediate(environ, StartResponse(state: state))
        } catch {
            state.fail(error, cleanup: nil)
            return
        }
        if let body {
            Self.finish(body, state)
        } else {
            Self.runAsync(application, environ, state)
        }
    }

    /// Starts `work` as a task that runs at once on the calling thread until it first suspends.
    ///
    /// Called from `handle`, on the server's I/O thread: an asynchronous application that answers
    /// without waiting for anything (no body to read, nothing to await) is served without leaving
    /// that thread, so its response costs no hop to another thread and back. The task prefers
    /// `IOThreadExecutor`: when it awaited a read or a write, it carries on on the I/O thread
    /// that completed it; when it awaited anything else, on Swift's global executor.
    private static func startTask(_ work: sending @escaping @isolated(any) () async -> Void) {
        #if compiler(>=6.2)
            Task.immediate(executorPreference: IOThreadExecutor.shared, operation: work)
        #else
            Task(executorPreference: IOThreadExecutor.shared, operation: work)
        #endif
    }

    private static func runSync(_ application: SyncApplication, _ environ: Environ, _ state: RequestState) {
        do {
            Self.finish(try application(environ, StartResponse(state: state)), state)
        } catch {
            state.fail(error, cleanup: nil)
        }
    }

    /// Sends the body a synchronous application returned: chunks at once, a stream on a task.
    private static func finish(_ body: ResponseBody, _ state: RequestState) {
        switch body.storage {
        case .chunks(let chunks):
            state.finish(sending: chunks, cleanup: body.cleanup)
        case .stream:
            Self.startTask { await Self.send(body, state) }
        }
    }

    private static func send(_ body: ResponseBody, _ state: RequestState) async {
        switch body.storage {
        case .chunks(let chunks):
            state.finish(sending: chunks, cleanup: body.cleanup)
        case .stream(let produce):
            await state.finish(streaming: produce, cleanup: body.cleanup)
        }
    }
}
