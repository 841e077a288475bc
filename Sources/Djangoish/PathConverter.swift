/// A converter in a route, `<int:id>`: which text a path parameter accepts. Django's five built-ins.
enum PathConverter: String, Sendable {
    /// Any non-empty text without `/`; the default when a route names no converter.
    case str
    /// Digits, `[0-9]+`, that fit an `Int`.
    case int
    /// ASCII letters, digits, hyphens and underscores.
    case slug
    /// A lower-case UUID, `075194d3-6885-417e-a8a8-6c931e272f00`.
    case uuid
    /// Any non-empty text, `/` included: the rest of a path.
    case path

    /// Whether the parameter may cross `/`.
    var spansSegments: Bool { self == .path }

    /// Whether `text` is a value of this converter.
    func accepts<Text: Collection<Unicode.Scalar>>(_ text: Text) -> Bool {
        guard !text.isEmpty else { return false }
        switch self {
        case .str:
            return !text.contains("/")
        case .int:
            return text.allSatisfy(Self.isDigit) && Int(String(String.UnicodeScalarView(text))) != nil
        case .slug:
            return text.allSatisfy { Self.isDigit($0) || Self.isLetter($0) || $0 == "-" || $0 == "_" }
        case .uuid:
            let groups = text.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
            return groups == [8, 4, 4, 4, 12]
                && text.allSatisfy { Self.isDigit($0) || ("a"..."f").contains($0) || $0 == "-" }
        case .path:
            return true
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
