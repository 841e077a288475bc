/// An ordered collection of key/value pairs where a key may repeat: query arguments and form fields.
///
/// As in WebOb, `dict["tag"]` is the last value given for `tag`; `all("tag")` gives every one.
public struct MultiDict: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    /// One key and one of its values.
    public typealias Item = (key: String, value: String)

    /// The pairs in the order they were given.
    public private(set) var items: [Item]

    /// A multidict holding `items` in order.
    public init(_ items: [Item] = []) {
        self.items = items
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.items = elements.map { ($0.0, $0.1) }
    }

    /// The last value given for `key`, or nil when it is absent.
    public subscript(key: String) -> String? {
        self.items.last { $0.key == key }?.value
    }

    /// Every value given for `key`, in order.
    public func all(_ key: String) -> [String] {
        self.items.filter { $0.key == key }.map(\.value)
    }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool {
        self.items.contains { $0.key == key }
    }

    /// The distinct keys in the order they first appear.
    public var keys: [String] {
        var seen: Set<String> = []
        return self.items.compactMap { seen.insert($0.key).inserted ? $0.key : nil }
    }

    /// Whether there are no pairs.
    public var isEmpty: Bool { self.items.isEmpty }

    /// The number of pairs, counting repeated keys.
    public var count: Int { self.items.count }

    /// One value per key, the last one given: handy for JSON.
    public var dictionary: [String: String] {
        Dictionary(self.items.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Appends a pair, keeping earlier values of the same key.
    public mutating func add(_ key: String, _ value: String) {
        self.items.append((key, value))
    }

    /// The pairs of `self` followed by those of `other`.
    public func merging(_ other: MultiDict) -> MultiDict {
        MultiDict(self.items + other.items)
    }

    public func makeIterator() -> IndexingIterator<[Item]> {
        self.items.makeIterator()
    }

    public static func == (lhs: MultiDict, rhs: MultiDict) -> Bool {
        lhs.items.elementsEqual(rhs.items) { $0.key == $1.key && $0.value == $1.value }
    }
}
