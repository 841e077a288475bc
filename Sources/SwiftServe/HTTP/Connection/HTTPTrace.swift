import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// `--debug-http`: prints each request head as `> ` lines and each response head as `< ` lines
/// on standard error, the way `curl -v` shows a conversation.
final class HTTPTrace: Sendable {
    private let lock = NIOLock()

    func request(_ head: HTTPRequestHead, from remote: String) {
        var text =
            "* request from \(remote.isEmpty ? "unix socket" : remote)\n> \(head.method.rawValue) \(head.uri) HTTP/\(head.version.major).\(head.version.minor)\n"
        for (name, value) in head.headers {
            text += "> \(name): \(value)\n"
        }
        text += ">\n"
        self.emit(text)
    }

    func response(_ head: ByteBuffer) {
        let raw = String(buffer: head)
        var text = ""
        for line in raw.split(separator: "\r\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            text += "< \(line)\n"
        }
        self.emit(text + "<\n")
    }

    private func emit(_ text: String) {
        var text = text
        self.lock.withLock {
            text.withUTF8 { bytes in
                _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count)
            }
        }
    }
}
