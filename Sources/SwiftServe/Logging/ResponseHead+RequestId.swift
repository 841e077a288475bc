import SSGI

extension ResponseHead {
    /// Adds `X-Request-Id: id`, unless the application sent one of its own.
    mutating func addRequestId(_ id: String) {
        let lines = self.headerLines
        var lineStart = lines.startIndex
        while lineStart < lines.endIndex {
            let line = lines[lineStart...].prefix(13)
            if line.count == 13, ASCII.equalsIgnoringCase(line, "x-request-id:") { return }
            guard let end = lines[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            lineStart = end + 1
        }
        self.bytes.append(contentsOf: "X-Request-Id: ".utf8)
        self.bytes.append(contentsOf: id.utf8)
        self.bytes.append(contentsOf: "\r\n".utf8)
    }
}
