import Testing

@testable import SSGI

/// The ordered multidict of query arguments and form fields.
@Suite("MultiDict")
struct MultiDictTests {
    @Test("the subscript gives the last value, `all` every value, `keys` each key once")
    func lookups() {
        var dict: MultiDict = ["tag": "a", "x": "1"]
        dict.add("tag", "b")
        #expect(dict["tag"] == "b")
        #expect(dict.all("tag") == ["a", "b"])
        #expect(dict.keys == ["tag", "x"])
        #expect(dict.count == 3)
        #expect(dict.contains("x"))
        #expect(!dict.contains("y"))
        #expect(dict["y"] == nil)
        #expect(dict.dictionary == ["tag": "b", "x": "1"])
    }

    @Test("merging appends, so the other's values win the subscript")
    func merging() {
        let query: MultiDict = ["k": "query"]
        let merged = query.merging(["k": "form"])
        #expect(merged["k"] == "form")
        #expect(merged.all("k") == ["query", "form"])
        #expect(MultiDict().isEmpty)
    }
}
