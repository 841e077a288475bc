/// A synchronous SSGI application: given the environ and `startResponse`, it starts the response
/// and returns the body. It runs inline or on a thread pool, as exported.
public typealias SyncApplication = @Sendable (Environ, StartResponse) throws -> ResponseBody

/// An asynchronous SSGI application, run on Swift concurrency.
public typealias AsyncApplication = @Sendable (Environ, StartResponse) async throws -> ResponseBody

/// An application as the SDK runs it: synchronous with its execution mode, or asynchronous.
enum ApplicationHandler: Sendable {
    case sync(SyncApplication, ExecutionMode)
    case async(AsyncApplication)
}
