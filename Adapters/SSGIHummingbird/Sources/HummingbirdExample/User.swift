import Hummingbird

/// A user, answered and accepted as JSON.
struct User: ResponseCodable {
    var id: Int
    var name: String
}
