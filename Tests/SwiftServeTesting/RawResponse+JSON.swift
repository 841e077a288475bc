import Foundation

extension RawResponse {
    /// The body parsed as a JSON object, nil when it is not one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any]
    }

    /// The body as the `environ` example writes it: a JSON object of strings.
    public func environ() throws -> [String: String] {
        guard let environ = self.json as? [String: String] else {
            throw RawHTTPClientError.malformed("not an environ: \(self.bodyText)")
        }
        return environ
    }
}
