#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A converter of a rule variable, as Werkzeug's: which text of the path it matches, the value it
/// gives the view, and how a value is written back into a URL.
///
/// `<name>` and `<string:name>` match one segment (no `/`), `<int:id>` non-negative digits,
/// `<float:x>` `digits.digits`, `<uuid:u>` a UUID, `<path:p>` the rest of the path `/` included, and
/// `<any(a, b):section>` one of the listed words.
public enum PathConverter: Sendable, Equatable {
    /// One segment, without `/`: the default.
    case string
    /// Non-negative decimal digits, as an `Int`.
    case int
    /// `digits.digits`, as a `Double`.
    case float
    /// The rest of the path, `/` included (but not first).
    case path
    /// A UUID in its 36-character form, as a `UUID`.
    case uuid
    /// One of the listed words.
    case any([String])

    /// The converter a rule names, such as `int` or `any(about, help)`; nil for an unknown one.
    init?(specification: Substring) {
        let text = Self.trimmed(specification, removing: " ")
        switch text {
        case "", "string", "default": self = .string
        case "int": self = .int
        case "float": self = .float
        case "path": self = .path
        case "uuid": self = .uuid
        default:
            guard text.hasPrefix("any("), text.hasSuffix(")") else { return nil }
            let items = text.dropFirst(4).dropLast().split(separator: ",").map {
                String(Self.trimmed(Self.trimmed($0, removing: " "), removing: "'\""))
            }
            guard !items.isEmpty, !items.contains(where: \.isEmpty) else { return nil }
            self = .any(items)
        }
    }

    /// Whether the converter's text may span segments.
    var matchesSlash: Bool { self == .path }

    /// The order among rules that both match a path: lower is tried first (Werkzeug's weights), so
    /// `/users/<int:id>` wins over `/users/<name>`, which wins over `/users/<path:rest>`.
    var weight: Int {
        switch self {
        case .int, .float: 50
        case .string, .uuid, .any: 100
        case .path: 200
        }
    }

    /// The value for the matched `text`, or nil when the text is not one this converter accepts.
    func value(for text: String) -> ViewArgument? {
        switch self {
        case .string:
            return text.isEmpty || text.contains("/") ? nil : .string(text)
        case .int:
            guard !text.isEmpty, text.utf8.allSatisfy(Self.isDigit), let number = Int(text) else { return nil }
            return .int(number)
        case .float:
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isDigit) }),
                let number = Double(text)
            else { return nil }
            return .float(number)
        case .path:
            return text.isEmpty || text.hasPrefix("/") ? nil : .string(text)
        case .uuid:
            guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else { return nil }
            return .uuid(uuid)
        case .any(let items):
            return items.contains(text) ? .string(text) : nil
        }
    }

    /// `value` written as this converter writes it into a URL, percent-encoded; nil when the
    /// converter would not match it.
    func urlText(for value: any CustomStringConvertible) -> String? {
        let text = (value as? UUID).map { $0.uuidString.lowercased() } ?? value.description
        switch self.value(for: text) {
        case .int(let number)?: return String(number)
        case .uuid(let uuid)?: return uuid.uuidString.lowercased()
        case .float?: return text
        case .string?: return self == .path ? PercentEncoding.encodePath(text) : PercentEncoding.encodePathSegment(text)
        case nil: return nil
        }
    }

    private static func trimmed(_ text: Substring, removing characters: String) -> Substring {
        var text = text
        while let first = text.first, characters.contains(first) { text.removeFirst() }
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return text
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
