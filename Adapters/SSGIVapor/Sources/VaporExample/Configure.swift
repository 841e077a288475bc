import Vapor

/// Sets up the application, as `configure(_:)` does in any Vapor project; unchanged for swiftserve.
@Sendable
func configure(_ app: Application) async throws {
    // At the beginning, outside ErrorMiddleware, so that error responses carry the header too.
    app.middleware.use(ServedByMiddleware(), at: .beginning)
    app.lifecycle.use(LifecycleLogger())
    try routes(app)
}
