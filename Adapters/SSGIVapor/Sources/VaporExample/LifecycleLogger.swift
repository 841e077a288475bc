import Vapor

/// Logs when the application boots and shuts down: under swiftserve, in the server's startup and
/// shutdown hooks.
struct LifecycleLogger: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws {
        application.logger.notice("vaporexample booted in \(application.environment.name)")
    }

    func shutdownAsync(_ application: Application) async {
        application.logger.notice("vaporexample shut down")
    }
}
