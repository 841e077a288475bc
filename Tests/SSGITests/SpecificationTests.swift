import Foundation
import Testing

/// docs/SPEC.md and `ssgi.h` are read side by side by whoever writes an application or a server in
/// another language, from them alone: where both speak of the same thing, they must agree.
@Suite("The specification and the header")
struct SpecificationTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The `/** ... */` comment right above the line of the header that contains `declaration`.
    static func comment(before declaration: String, in header: String) -> String? {
        guard let line = header.range(of: declaration) else { return nil }
        guard let end = header[..<line.lowerBound].range(of: "*/", options: .backwards),
            let start = header[..<end.lowerBound].range(of: "/**", options: .backwards)
        else { return nil }
        // Only the comment that ends on the line before the declaration.
        let between = header[end.upperBound..<line.lowerBound]
        guard between.allSatisfy(\.isWhitespace) else { return nil }
        return String(header[start.lowerBound..<end.upperBound])
    }

    @Test("the header's comment on each operation and callback names every result code §16 gives it")
    func resultCodes() throws {
        let spec = try Self.text("docs/SPEC.md")
        let header = try Self.text("Sources/CSSGI/include/ssgi.h")
        let declarations = [
            "start_response": "int32_t (*start_response)(", "write": "int32_t (*write)(",
            "read": "int32_t (*read)(", "finish": "int32_t (*finish)(",
            "ssgi_write_done": "typedef void (*ssgi_write_done)", "ssgi_read_done": "typedef void (*ssgi_read_done)",
            "ssgi_cleanup": "typedef void (*ssgi_cleanup)",
        ]
        let rows = spec.split(separator: "\n").filter { $0.hasPrefix("| `SSGI_E_") }
        #expect(rows.count == 10)
        for row in rows {
            let columns = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let code = columns[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let functions = columns[2].split(whereSeparator: { ",;".contains($0) }).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "` "))
            }
            for function in functions {
                let declaration = try #require(declarations[function], "§16 names '\(function)' for \(code)")
                let comment = try #require(Self.comment(before: declaration, in: header), "\(function)")
                #expect(comment.contains(code), "the header's comment on \(function) does not name \(code)")
            }
        }
    }

    @Test("every mention of the validator points at the section that describes it")
    func validatorReferences() throws {
        let spec = try Self.text("docs/SPEC.md")
        let references = spec.matches(of: /validator \(§(\d+)\)/).map { String($0.output.1) }
        #expect(!references.isEmpty)
        for section in references {
            let heading = spec.split(separator: "\n").first { $0.hasPrefix("## \(section). ") }
            #expect(heading?.contains("Conformance") == true, "§\(section) is '\(heading ?? "")'")
        }
    }

    @Test("the version in the title, the version table and the history agree")
    func versionAndHistory() throws {
        let spec = try Self.text("docs/SPEC.md")
        let title = try #require(spec.split(separator: "\n").first)
        let version = try #require(title.firstMatch(of: /SSGI (\d+\.\d+(?:\.\d+)?)/)?.output.1)
        let row = spec.split(separator: "\n").first { $0.hasPrefix("| Version | ") }
        #expect(row?.firstMatch(of: /^\| Version \| (\d+\.\d+(?:\.\d+)?)\b/)?.output.1 == version, "\(row ?? "")")
        let history = try #require(spec.firstRange(of: /\n## (\d+\. )?History\n/))
        #expect(spec[history.upperBound...].contains("**\(version)**"), "the history has no entry for \(version)")
    }
}
