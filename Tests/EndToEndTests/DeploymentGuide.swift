import Foundation

/// What the guides give readers to copy, read from the guides themselves (docs/DEPLOYMENT.md,
/// README.md, the units in docs/), so that the tests run what a reader runs. Only what belongs to
/// the machine (ports, paths, certificates) is replaced, and every replacement must find what it
/// replaces: a guide whose block changes shape fails the tests rather than escape them.
enum DeploymentGuide {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The text of `path`, relative to the package root.
    static func file(_ path: String) throws -> String {
        try String(contentsOf: CFixtures.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// The first fenced code block of `path` whose info string is `language` (`""` for none) and
    /// whose text contains `marker`, without its fences.
    static func block(in path: String = "docs/DEPLOYMENT.md", _ language: String, containing marker: String)
        throws -> String
    {
        var inside = false
        var collected: [Substring]?
        for line in try Self.file(path).split(separator: "\n", omittingEmptySubsequences: false) {
            if !inside {
                guard line.hasPrefix("```") else { continue }
                inside = true
                collected = line == "```" + language ? [] : nil
            } else if line == "```" {
                inside = false
                if let text = collected.map({ $0.joined(separator: "\n") + "\n" }), text.contains(marker) {
                    return text
                }
            } else {
                collected?.append(line)
            }
        }
        throw Missing(description: "\(path) has no ```\(language) block containing '\(marker)'")
    }

    /// `text` with every `from` replaced by its `to`; throws when one of them does not occur.
    static func replacing(_ text: String, _ replacements: KeyValuePairs<String, String>) throws -> String {
        var result = text
        for (from, to) in replacements {
            guard result.contains(from) else {
                throw Missing(description: "the guide's block no longer contains '\(from)':\n\(text)")
            }
            result = result.replacingOccurrences(of: from, with: to)
        }
        return result
    }
}
