import Vapor

/// What `GET /about` answers: what the application knows about itself and the request.
struct About: Content {
    var environment: String
    var arguments: [String]
    var method: String
    var url: String
    var httpVersion: String
    var remoteAddress: String?
}
