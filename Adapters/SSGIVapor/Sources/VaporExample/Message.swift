import Vapor

/// What `POST /json` takes.
struct Message: Content {
    var text: String
    var repeats: Int
}
