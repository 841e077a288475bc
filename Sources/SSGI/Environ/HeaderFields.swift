/// HTTP header fields in order, looked up without regard to the case of their names.
///
/// Frameworks use it for both the request's headers and the response's. The subscript reads every field of a
/// name joined as RFC 9110 combines them (`, `, or `; ` for Cookie) and writes by replacing them all;
/// `values(for:)` and `add(_:_:)` keep repeated fields such as Set-Cookie apart.
public struct HeaderFields: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in order, with names as spelled.
    public private(set) var fields: [HTTPHeader]

    /// Headers holding `fields` in order.
    public init(_ fields: [HTTPHeader] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { ($0.0, $0.1) }
    }

    /// Every field named `name`, joined; setting replaces them all, and nil removes them.
    public subscript(name: String) -> String? {
        get {
            let values = self.values(for: name)
            guard !values.isEmpty else { return nil }
            return values.joined(separator: Self.sameName(name, "cookie") ? "; " : ", ")
        }
        set {
            guard let newValue else {
                self.remove(name)
                return
            }
            if let first = self.fields.firstIndex(where: { Self.sameName($0.name, name) }) {
                self.fields[first].value = newValue
                let rest = self.fields.index(after: first)
                if self.fields[rest...].contains(where: { Self.sameName($0.name, name) }) {
                    self.fields = self.fields.enumerated().filter { index, field in
                        index <= first || !Self.sameName(field.name, name)
                    }.map(\.element)
                }
            } else {
                self.fields.append((name, newValue))
            }
        }
    }

    /// The values of every field named `name`, in order.
    public func values(for name: String) -> [String] {
        self.fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        self.fields.contains { Self.sameName($0.name, name) }
    }

    /// Appends a field, keeping any others of the same name.
    public mutating func add(_ name: String, _ value: String) {
        self.fields.append((name, value))
    }

    /// Removes every field named `name`.
    public mutating func remove(_ name: String) {
        self.fields.removeAll { Self.sameName($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[HTTPHeader]> {
        self.fields.makeIterator()
    }

    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        Environ.equalIgnoringCase(lhs, rhs)
    }
}
