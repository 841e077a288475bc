/// Escapes text for HTML, as Django's `escape` and Werkzeug's do: `&`, `<`, `>`, `"` and `'` become
/// entities, so that a path or an error message shown on a framework's page cannot inject markup.
public enum HTMLEscaping {
    /// `text`, safe inside an element or a quoted attribute.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { "&<>\"'".utf8.contains($0) }) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#x27;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
