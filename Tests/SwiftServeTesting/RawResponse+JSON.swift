import Foundation

extension RawResponse {
    /// The body parsed as a JSON object, nil when it is not one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any]
    }
}
