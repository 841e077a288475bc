import Hummingbird

/// What Hummingbird saw of a request, answered as JSON.
struct RequestSummary: ResponseEncodable {
    var method: String
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var greeting: String?
    var hasHostField: Bool
    var remoteAddress: String?
}
