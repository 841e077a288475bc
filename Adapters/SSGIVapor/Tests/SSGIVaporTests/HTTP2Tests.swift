import Foundation
import SwiftServeTesting
import Testing

/// HTTP/2 (h2c, prior knowledge) reaches the Vapor app as plain requests: routing, a body both
/// ways and HEAD, every request and response checked against the SSGI specification.
@Suite("HTTP/2 through the Vapor adapter")
struct HTTP2Tests {
    @Test("routes, a 5 MiB body and HEAD over h2c")
    func overHTTP2() throws {
        let server = try VaporExampleServer.start()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let hello = try CommandResult.curl(["-sS", "--http2-prior-knowledge", "-w", "%{http_version}", "\(base)/hello"])
        #expect(hello.outputText.hasSuffix("2"), "\(hello.outputText) \(hello.standardError)")
        #expect(hello.outputText.hasPrefix("Hello"))
        let file = try PatternedFile(count: 5 * 1024 * 1024)
        defer { file.remove() }
        let length = try CommandResult.curl([
            "-sS", "--http2-prior-knowledge", "--data-binary", "@\(file.path)", "-H",
            "Content-Type: application/octet-stream", "\(base)/echo-length",
        ])
        #expect(length.outputText == String(5 * 1024 * 1024), "\(length.standardError)")
        let head = try CommandResult.curl(["-sS", "--http2-prior-knowledge", "-I", "\(base)/hello"])
        #expect(head.outputText.hasPrefix("HTTP/2 200"), "\(head.outputText)")
        #expect(server.validatorIsSilent, "\(server.log)")
    }
}
