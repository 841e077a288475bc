import Glibc
import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK

/// `--debug-http`: prints each request head as `> ` lines and each response head as `< ` lines
/// on standard error, the way `curl -v` shows a conversation; over HTTP/2, the HEADERS' fields.
final class HTTPTrace: Sendable {
    private let lock = NIOLock()

    func request(_ head: RequestHead.Parts, from remote: String) {
        var text =
            "* request from \(remote.isEmpty ? "unix socket" : remote)\n> \(String(decoding: head.method, as: UTF8.self)) \(String(decoding: head.target, as: UTF8.self)) HTTP/\(head.head.versionMajor).\(head.head.versionMinor)\n"
        for field in head.head.fields {
            text +=
                "> \(String(decoding: head.name(field), as: UTF8.self)): \(String(decoding: head.rawValue(field), as: UTF8.self))\n"
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

    /// An HTTP/2 stream's request HEADERS, pseudo-header fields first, as sent.
    func request(_ headers: HPACKHeaders, from remote: String) {
        var text = "* HTTP/2 stream from \(remote.isEmpty ? "unix socket" : remote)\n"
        for field in headers { text += "> \(field.name): \(field.value)\n" }
        self.emit(text + ">\n")
    }

    /// An HTTP/2 stream's response HEADERS.
    func response(_ headers: HPACKHeaders) {
        var text = ""
        for field in headers { text += "< \(field.name): \(field.value)\n" }
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
