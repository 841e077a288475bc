/// 405 Method Not Allowed with the Allow header listing `permittedMethods`, Django's
/// `HttpResponseNotAllowed`, as `requireHTTPMethods` answers.
public struct HttpResponseNotAllowed: HttpResponseConvertible {
    /// The methods the resource accepts.
    public let permittedMethods: [String]
    public var httpResponse: HttpResponse

    public init(_ permittedMethods: [String]) {
        self.permittedMethods = permittedMethods
        self.httpResponse = HttpResponse(status: .methodNotAllowed)
        self.httpResponse["Allow"] = permittedMethods.joined(separator: ", ")
    }
}
