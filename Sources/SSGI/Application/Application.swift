/// A synchronous SSGI application: given the environ and `startResponse`, it starts the response
/// and returns the body. It runs inline or on a thread pool, as exported.
public typealias SyncApplication = @Sendable (Environ, StartResponse) throws -> ResponseBody

/// An asynchronous SSGI application, run on Swift concurrency.
public typealias AsyncApplication = @Sendable (Environ, StartResponse) async throws -> ResponseBody

/// The synchronous part of an application exported with `exportApplication(immediate:_:)`: it
/// answers a request at once (calls `startResponse` and returns the body), or returns nil without
/// having called `startResponse` to hand the request to the asynchronous part.
public typealias ImmediateApplication = @Sendable (Environ, StartResponse) throws -> ResponseBody?

/// An application as the SDK runs it: synchronous with its execution mode, asynchronous, or
/// asynchronous with a synchronous part that answers what it can at once.
enum ApplicationHandler: Sendable {
    case sync(SyncApplication, ExecutionMode)
    case async(AsyncApplication)
    case immediate(ImmediateApplication, AsyncApplication)
}
