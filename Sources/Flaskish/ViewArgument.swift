#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The value of one variable of the matched rule, typed by its converter: `<int:id>` gives
/// `.int`, `<uuid:u>` `.uuid`, and `<name>`, `<path:p>` and `<any(...):x>` `.string`.
public enum ViewArgument: Sendable, Hashable, CustomStringConvertible {
    /// From `string`, `path` and `any`.
    case string(String)
    /// From `int`.
    case int(Int)
    /// From `float`.
    case float(Double)
    /// From `uuid`.
    case uuid(UUID)

    /// The value as text, as it would be written into a URL before percent-encoding.
    public var description: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .float(let number): String(number)
        case .uuid(let uuid): uuid.uuidString.lowercased()
        }
    }
}
