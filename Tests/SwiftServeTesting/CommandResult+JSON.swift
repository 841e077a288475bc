import Foundation

extension CommandResult {
    /// Standard output parsed as a JSON object, nil when it is not one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: self.standardOutput)) as? [String: Any]
    }
}
