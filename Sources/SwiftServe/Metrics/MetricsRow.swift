/// The counters of one event loop in a `MetricsRegion`: written by that loop's thread alone.
struct MetricsRow: @unchecked Sendable {
    fileprivate let words: UnsafeMutablePointer<UInt64>

    init(words: UnsafeMutablePointer<UInt64>) {
        self.words = words
    }

    /// Adds `count` to the word at `field` (a `MetricsLayout` offset).
    @inline(__always)
    func add(_ field: Int, _ count: UInt64 = 1) {
        self.words[field] &+= count
    }

    /// Adds every word of the row to `snapshot`.
    func add(to snapshot: inout MetricsSnapshot) {
        for field in 0..<MetricsLayout.fieldCount {
            snapshot.words[field] &+= self.words[field]
        }
    }
}
