/// A route such as `users/<int:id>/`, parsed: literal text and typed parameters, matched against a
/// path without its leading `/` as Django matches it.
struct RoutePattern: Sendable {
    /// A piece of a route.
    enum Part: Sendable {
        case literal([Unicode.Scalar])
        case parameter(name: String, converter: PathConverter)
    }

    /// The route as written.
    let route: String
    let parts: [Part]

    /// Parses `route`. A malformed route (an unknown converter, a parameter name that is not an
    /// identifier, an unclosed `<`) is a programming error, as a bad regex literal is, and traps.
    init(_ route: String) {
        precondition(!route.hasPrefix("/"), "route '\(route)' starts with '/': Django's routes do not")
        self.route = route
        var parts: [Part] = []
        var rest = route[...]
        while let open = rest.firstIndex(of: "<") {
            if open > rest.startIndex { parts.append(.literal(Array(rest[..<open].unicodeScalars))) }
            guard let close = rest[open...].firstIndex(of: ">") else {
                preconditionFailure("route '\(route)' has an unclosed '<'")
            }
            let inside = rest[rest.index(after: open)..<close]
            let pieces = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let converterName = pieces.count == 2 ? String(pieces[0]) : "str"
            let name = String(pieces.last ?? "")
            guard let converter = PathConverter(rawValue: converterName) else {
                preconditionFailure("route '\(route)' uses the unknown converter '\(converterName)'")
            }
            precondition(
                Self.isIdentifier(name), "route '\(route)' has the parameter name '\(name)', not an identifier")
            parts.append(.parameter(name: name, converter: converter))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(Array(rest.unicodeScalars))) }
        self.parts = parts
    }

    /// The names of the route's parameters, in order.
    var parameterNames: [String] {
        self.parts.compactMap { part in
            if case .parameter(let name, _) = part { name } else { nil }
        }
    }

    /// Matches the start of `path` (all of it when `exact`), returning the parameters and what is
    /// left. A parameter takes the longest text that lets the rest match, as a greedy regex does.
    func match(_ path: ArraySlice<Unicode.Scalar>, exact: Bool) -> (
        kwargs: [String: String], rest: ArraySlice<Unicode.Scalar>
    )? {
        Self.match(self.parts[...], path, kwargs: [:], exact: exact)
    }

    private static func match(
        _ parts: ArraySlice<Part>, _ path: ArraySlice<Unicode.Scalar>, kwargs: [String: String], exact: Bool
    ) -> (kwargs: [String: String], rest: ArraySlice<Unicode.Scalar>)? {
        guard let part = parts.first else {
            return exact && !path.isEmpty ? nil : (kwargs, path)
        }
        switch part {
        case .literal(let text):
            guard path.starts(with: text) else { return nil }
            return match(parts.dropFirst(), path.dropFirst(text.count), kwargs: kwargs, exact: exact)
        case .parameter(let name, let converter):
            var end = converter.spansSegments ? path.endIndex : (path.firstIndex(of: "/") ?? path.endIndex)
            while end > path.startIndex {
                let value = path[..<end]
                if converter.accepts(value) {
                    var kwargs = kwargs
                    kwargs[name] = String(String.UnicodeScalarView(value))
                    if let result = match(parts.dropFirst(), path[end...], kwargs: kwargs, exact: exact) {
                        return result
                    }
                }
                end -= 1
            }
            return nil
        }
    }

    /// The route with its parameters filled from `kwargs`, or nil when a value is missing or its
    /// converter refuses it. The result is not percent-encoded.
    func fill(_ kwargs: [String: String]) -> String? {
        var filled = ""
        for part in self.parts {
            switch part {
            case .literal(let text):
                filled.unicodeScalars.append(contentsOf: text)
            case .parameter(let name, let converter):
                guard let value = kwargs[name], converter.accepts(value.unicodeScalars) else { return nil }
                filled += value
            }
        }
        return filled
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }
}
