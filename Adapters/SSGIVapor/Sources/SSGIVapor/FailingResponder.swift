import NIOCore
import Vapor

/// A responder that fails every request with one error, for the application's middleware to turn
/// into its error response (ErrorMiddleware's JSON, by default).
struct FailingResponder: Responder {
    let error: any Error

    func respond(to request: Request) -> EventLoopFuture<Response> {
        request.eventLoop.makeFailedFuture(self.error)
    }
}
