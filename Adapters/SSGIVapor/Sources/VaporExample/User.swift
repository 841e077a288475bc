import Vapor

/// A user, as `GET /users/:id` returns it.
struct User: Content {
    var id: Int
    var name: String
}
