/// One URL rule of the map: its pattern parsed into parts, the methods it answers, its endpoint
/// and its view, as `app.route` registers it. Parsed once, when it is registered.
final class Rule: Sendable {
    /// A piece of the pattern: text matched as it is, or a variable matched by its converter.
    enum Part: Sendable {
        case text([UInt8])
        case variable(name: String, converter: PathConverter)
    }

    /// The pattern as written, such as `/users/<int:id>`.
    let pattern: String
    let parts: [Part]
    /// Whether the pattern has no variables: it matches its own text only.
    let isStatic: Bool
    /// The upper-case methods answered, sorted, HEAD and OPTIONS included when they are automatic.
    let methods: [String]
    let endpoint: String
    /// Whether a request for the pattern without its trailing `/` is redirected to it.
    let strictSlashes: Bool
    /// Whether OPTIONS is answered by the framework with the allowed methods.
    let providesAutomaticOptions: Bool
    let view: AppFunction<Request, Response>

    /// Parses `pattern` and completes `methods` as Flask does: HEAD with GET, and OPTIONS unless
    /// the view handles it itself.
    init(
        pattern: String, methods: [String], endpoint: String?, strictSlashes: Bool,
        view: AppFunction<Request, Response>
    ) throws(RoutingError) {
        self.pattern = pattern
        self.parts = try Self.parse(pattern)
        self.isStatic = self.parts.allSatisfy {
            if case .text = $0 { true } else { false }
        }
        var methods = Set(methods.map { $0.uppercased() })
        guard !methods.isEmpty else { throw RoutingError("the rule '\(pattern)' answers no method") }
        if methods.contains("GET") { methods.insert("HEAD") }
        self.providesAutomaticOptions = !methods.contains("OPTIONS")
        methods.insert("OPTIONS")
        self.methods = methods.sorted()
        self.endpoint = endpoint ?? pattern
        self.strictSlashes = strictSlashes
        self.view = view
    }

    /// Whether the rule answers `method`: a comparison per method, nothing hashed.
    func answers(_ method: String) -> Bool {
        self.methods.contains(method)
    }

    /// Whether a static rule's pattern is `path`, byte for byte (a `String` comparison would also
    /// equate other encodings of the same characters).
    func matches(staticPath path: String) -> Bool {
        self.pattern.utf8.elementsEqual(path.utf8)
    }

    /// The names of the variables, in order.
    var arguments: [String] {
        self.parts.compactMap {
            if case .variable(let name, _) = $0 { name } else { nil }
        }
    }

    /// Splits a pattern into text and `<converter:name>` variables.
    static func parse(_ pattern: String) throws(RoutingError) -> [Part] {
        guard pattern.hasPrefix("/") else { throw RoutingError("the rule '\(pattern)' does not start with '/'") }
        var parts: [Part] = []
        var names: Set<String> = []
        var rest = pattern[...]
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "<") else {
                parts.append(.text(Array(rest.utf8)))
                break
            }
            if open > rest.startIndex { parts.append(.text(Array(rest[..<open].utf8))) }
            guard let close = rest[open...].firstIndex(of: ">") else {
                throw RoutingError("the rule '\(pattern)' has a '<' without its '>'")
            }
            let variable = rest[rest.index(after: open)..<close]
            let colon = variable.lastIndex(of: ":")
            let name = colon.map { variable[variable.index(after: $0)...] } ?? variable
            let specification = colon.map { variable[..<$0] } ?? ""
            guard let first = name.first, first.isLetter || first == "_",
                name.allSatisfy({ ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII })
            else { throw RoutingError("the rule '\(pattern)' has a variable '\(name)' that is not an identifier") }
            guard let converter = PathConverter(specification: specification) else {
                throw RoutingError("the rule '\(pattern)' uses the unknown converter '\(specification)'")
            }
            guard names.insert(String(name)).inserted else {
                throw RoutingError("the rule '\(pattern)' names the variable '\(name)' twice")
            }
            parts.append(.variable(name: String(name), converter: converter))
            rest = rest[rest.index(after: close)...]
        }
        return parts
    }

    /// The view arguments when the rule matches all of `path` (PATH_INFO, as bytes), else nil.
    func match(_ path: [UInt8]) -> [String: ViewArgument]? {
        var values: [String: ViewArgument] = [:]
        return self.match(part: 0, at: 0, of: path, into: &values) ? values : nil
    }

    private func match(part index: Int, at position: Int, of path: [UInt8], into values: inout [String: ViewArgument])
        -> Bool
    {
        guard index < self.parts.count else { return position == path.count }
        switch self.parts[index] {
        case .text(let text):
            guard path.count - position >= text.count, path[position..<position + text.count].elementsEqual(text)
            else { return false }
            return self.match(part: index + 1, at: position + text.count, of: path, into: &values)
        case .variable(let name, let converter):
            for end in self.candidateEnds(for: index, converter, from: position, in: path) {
                guard let value = converter.value(for: String(decoding: path[position..<end], as: UTF8.self)) else {
                    continue
                }
                values[name] = value
                if self.match(part: index + 1, at: end, of: path, into: &values) { return true }
            }
            values[name] = nil
            return false
        }
    }

    /// Where the variable at `index` may end: greedy within one segment, or shortest first for
    /// `path` (as Werkzeug's regular expressions `[^/]+` and `[^/].*?`), and only where the next
    /// part can begin, on a character boundary.
    private func candidateEnds(for index: Int, _ converter: PathConverter, from position: Int, in path: [UInt8])
        -> [Int]
    {
        let slash = UInt8(ascii: "/")
        let limit = converter.matchesSlash ? path.count : (path[position...].firstIndex(of: slash) ?? path.count)
        guard limit > position else { return [] }
        guard index + 1 < self.parts.count else { return limit == path.count ? [limit] : [] }
        let nextByte: UInt8? = if case .text(let text) = self.parts[index + 1] { text.first } else { nil }
        let ends = (position + 1...limit).filter { end in
            guard end < path.count else { return nextByte == nil }
            return path[end] & 0xC0 != 0x80 && (nextByte == nil || path[end] == nextByte)
        }
        return converter.matchesSlash ? ends : ends.reversed()
    }

    /// The path for `values`, percent-encoded, or nil when a variable is missing or its value is
    /// not one its converter would match.
    func build(_ values: [String: any CustomStringConvertible]) -> String? {
        var path = ""
        for part in self.parts {
            switch part {
            case .text(let text):
                path += PercentEncoding.encodePath(String(decoding: text, as: UTF8.self))
            case .variable(let name, let converter):
                guard let value = values[name], let text = converter.urlText(for: value) else { return nil }
                path += text
            }
        }
        return path
    }

    /// Orders rules as Werkzeug does: rules without variables first, then those with more parts,
    /// then part by part, text (longer first) before variables (lower converter weight first).
    func precedes(_ other: Rule) -> Bool {
        let (lhs, rhs) = (self.sortKey, other.sortKey)
        if lhs.hasVariables != rhs.hasVariables { return !lhs.hasVariables }
        if lhs.weights.count != rhs.weights.count { return lhs.weights.count > rhs.weights.count }
        for (left, right) in zip(lhs.weights, rhs.weights) where left != right {
            return left.kind != right.kind ? left.kind < right.kind : left.value < right.value
        }
        return false
    }

    private var sortKey: (hasVariables: Bool, weights: [(kind: Int, value: Int)]) {
        var weights: [(kind: Int, value: Int)] = []
        for part in self.parts {
            switch part {
            case .text(let text):
                for piece in text.split(separator: UInt8(ascii: "/")) { weights.append((0, -piece.count)) }
            case .variable(_, let converter):
                weights.append((1, converter.weight))
            }
        }
        return (!self.arguments.isEmpty, weights)
    }
}
