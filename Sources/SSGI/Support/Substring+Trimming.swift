extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isSpace($0) }) else { return "" }
        var end = self.endIndex
        while isSpace(self[self.index(before: end)]) {
            end = self.index(before: end)
        }
        return self[first..<end]
    }
}
