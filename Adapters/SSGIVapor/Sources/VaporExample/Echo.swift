import Vapor

/// What `POST /json` answers.
struct Echo: Content {
    var text: String
    var characters: Int
}
