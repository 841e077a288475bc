import SSGI

/// A route pattern compiled for matching paths and for generating them.
///
/// The syntax is Pyramid's: literal text, `{name}` for one path segment (`[^/]+`), `{name:regex}`
/// for a segment described by a regular expression (which may span `/`, as `{path:.*}` does), and
/// `*name` at the end for the rest of the path. Patterns whose placeholders are whole segments are
/// matched segment by segment; the others are matched with a regular expression.
struct RoutePattern: Sendable {
    /// One piece of a pattern.
    enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(name: String, regex: String?)
        case remainder(name: String)
    }

    /// How a path is compared with the pattern.
    enum Matcher: Sendable {
        /// A pattern without placeholders: the path must equal it.
        case exact(String)
        /// Whole-segment placeholders: the path's segments are compared one by one. With a
        /// remainder, the last segment of `segments` is where the remainder starts.
        case segments([Segment], remainder: String?)
        case regex(PathRegex)
    }

    /// One segment of a pattern matched segment by segment.
    enum Segment: Sendable {
        case literal(Substring)
        case placeholder(String)
    }

    /// The pattern as written, with a leading `/` added when it had none.
    let text: String
    let parts: [Part]
    let matcher: Matcher

    /// Parses `pattern`; throws a `ConfigurationError` naming what is wrong with it.
    init(_ pattern: String) throws(ConfigurationError) {
        let text = pattern.hasPrefix("/") ? pattern : "/" + pattern
        self.text = text
        self.parts = try Self.parse(text)
        self.matcher = try Self.matcher(for: self.parts, text: text)
    }

    /// The placeholder names, in order.
    var names: [String] {
        self.parts.compactMap {
            switch $0 {
            case .literal: nil
            case .placeholder(let name, _), .remainder(let name): name
            }
        }
    }

    /// The values of the placeholders when `path` matches, or nil.
    func match(_ path: String) -> [String: String]? {
        switch self.matcher {
        case .exact(let literal):
            return path == literal ? [:] : nil
        case .segments(let segments, let remainder):
            return Self.match(path, segments: segments, remainder: remainder)
        case .regex(let regex):
            return regex.match(path, names: self.names)
        }
    }

    /// The path for `values`, percent-encoded; `missing` is the first placeholder without a value.
    func generate(_ values: [String: String]) -> (path: String, missing: String?) {
        var path = ""
        for part in self.parts {
            switch part {
            case .literal(let literal):
                path += PercentEncoding.encodePath(literal)
            case .placeholder(let name, let regex):
                guard let value = values[name] else { return (path, name) }
                path += regex == nil ? PercentEncoding.encodePathSegment(value) : PercentEncoding.encodePath(value)
            case .remainder(let name):
                path += PercentEncoding.encodePath(values[name] ?? "")
            }
        }
        return (path, nil)
    }

    private static func match(_ path: String, segments: [Segment], remainder: String?) -> [String: String]? {
        let pieces = path.split(separator: "/", omittingEmptySubsequences: false)
        if remainder == nil {
            guard pieces.count == segments.count else { return nil }
        } else {
            guard pieces.count >= segments.count else { return nil }
        }
        var values: [String: String] = [:]
        let compared = remainder == nil ? segments.count : segments.count - 1
        for index in 0..<compared {
            switch segments[index] {
            case .literal(let literal):
                guard pieces[index] == literal else { return nil }
            case .placeholder(let name):
                guard !pieces[index].isEmpty else { return nil }
                values[name] = String(pieces[index])
            }
        }
        if let remainder {
            values[remainder] = pieces[compared...].joined(separator: "/")
        }
        return values
    }

    private static func parse(_ text: String) throws(ConfigurationError) -> [Part] {
        var parts: [Part] = []
        var literal = ""
        var names: Set<String> = []
        var index = text.startIndex

        func add(_ part: Part, named name: String) throws(ConfigurationError) {
            guard isIdentifier(name) else {
                throw ConfigurationError("route pattern '\(text)': '\(name)' is not a valid placeholder name")
            }
            guard names.insert(name).inserted else {
                throw ConfigurationError("route pattern '\(text)': placeholder '\(name)' appears twice")
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(part)
        }

        while index < text.endIndex {
            let character = text[index]
            if character == "{" {
                let close = try closingBrace(in: text, after: index)
                let body = text[text.index(after: index)..<close]
                let name: Substring
                var regex: String?
                if let colon = body.firstIndex(of: ":") {
                    name = body[..<colon]
                    let expression = body[body.index(after: colon)...]
                    regex = expression.isEmpty ? nil : String(expression)
                } else {
                    name = body
                }
                try add(.placeholder(name: String(name), regex: regex), named: String(name))
                index = text.index(after: close)
            } else if character == "*", isIdentifier(text[text.index(after: index)...]) {
                let name = String(text[text.index(after: index)...])
                try add(.remainder(name: name), named: name)
                index = text.endIndex
            } else if character == "}" {
                throw ConfigurationError("route pattern '\(text)': '}' without a matching '{'")
            } else {
                literal.append(character)
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    /// The index of the `}` that closes the `{` at `open`, allowing braces nested in a regex.
    private static func closingBrace(in text: String, after open: String.Index) throws(ConfigurationError)
        -> String.Index
    {
        var depth = 0
        var index = open
        while index < text.endIndex {
            if text[index] == "{" {
                depth += 1
            } else if text[index] == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        throw ConfigurationError("route pattern '\(text)': '{' without a matching '}'")
    }

    private static func matcher(for parts: [Part], text: String) throws(ConfigurationError) -> Matcher {
        if parts.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            return .exact(text)
        }
        if let segments = self.segments(of: parts) {
            return segments
        }
        var source = ""
        for part in parts {
            switch part {
            case .literal(let literal): source += escape(literal)
            case .placeholder(let name, let regex): source += "(?<\(name)>\(regex ?? "[^/]+"))"
            case .remainder(let name): source += "(?<\(name)>.*)"
            }
        }
        return .regex(try PathRegex(source, pattern: text))
    }

    /// The segment matcher for `parts`, when every placeholder is a whole segment without a regex and
    /// a remainder, if any, follows a `/`.
    private static func segments(of parts: [Part]) -> Matcher? {
        var segments: [Segment] = []
        var remainder: String?
        var current = ""
        var placeholderInCurrent: String?
        for part in parts {
            switch part {
            case .literal(let literal):
                for character in literal {
                    if character == "/" {
                        if let name = placeholderInCurrent {
                            guard current.isEmpty else { return nil }
                            segments.append(.placeholder(name))
                        } else {
                            segments.append(.literal(Substring(current)))
                        }
                        current = ""
                        placeholderInCurrent = nil
                    } else {
                        guard placeholderInCurrent == nil else { return nil }
                        current.append(character)
                    }
                }
            case .placeholder(let name, let regex):
                guard regex == nil, current.isEmpty, placeholderInCurrent == nil else { return nil }
                placeholderInCurrent = name
            case .remainder(let name):
                guard current.isEmpty, placeholderInCurrent == nil else { return nil }
                remainder = name
            }
        }
        if let name = placeholderInCurrent {
            guard current.isEmpty else { return nil }
            segments.append(.placeholder(name))
        } else {
            segments.append(.literal(Substring(current)))
        }
        return .segments(segments, remainder: remainder)
    }

    private static func isIdentifier(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (0x30...0x39).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// `literal` with every ASCII character that is not a letter or digit escaped, for a regex.
    private static func escape(_ literal: String) -> String {
        var escaped = ""
        for character in literal {
            if character.isASCII, !character.isLetter, !character.isNumber {
                escaped.append("\\")
            }
            escaped.append(character)
        }
        return escaped
    }
}
