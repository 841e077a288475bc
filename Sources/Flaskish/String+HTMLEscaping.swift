extension String {
    /// The text with `&`, `<`, `>`, `"` and `'` written as HTML entities, safe inside an element
    /// or a quoted attribute.
    var htmlEscaped: String {
        guard self.contains(where: { "&<>\"'".contains($0) }) else { return self }
        var escaped = ""
        escaped.reserveCapacity(self.utf8.count + 16)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
