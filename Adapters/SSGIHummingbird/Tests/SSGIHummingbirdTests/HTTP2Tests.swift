import Foundation
import SwiftServeTesting
import Testing

/// HTTP/2 (h2c, prior knowledge) reaches the Hummingbird app as plain requests: routing, bodies
/// both ways and HEAD, every request and response checked against the SSGI specification.
@Suite("HTTP/2 through the Hummingbird adapter")
struct HTTP2Tests {
    @Test("routes, a 5 MiB echo and HEAD over h2c")
    func overHTTP2() throws {
        let server = try HummingbirdExampleServer.start()
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let hello = try CommandResult.curl(["-sS", "--http2-prior-knowledge", "-w", "%{http_version}", "\(base)/hello"])
        #expect(hello.outputText.hasSuffix("2"), "\(hello.outputText) \(hello.standardError)")
        #expect(hello.outputText.hasPrefix("Hello"))
        let file = try PatternedFile(count: 5 * 1024 * 1024)
        defer { file.remove() }
        let echo = try CommandResult.curl([
            "-sS", "--http2-prior-knowledge", "--data-binary", "@\(file.path)", "-H",
            "Content-Type: application/x-test",
            "\(base)/echo",
        ])
        // Compared as a count and a check, not byte for byte: a failed comparison of two 5 MiB
        // values would be diffed at length.
        #expect(echo.standardOutput.count == file.bytes.count, "\(echo.standardError)")
        #expect(echo.standardOutput.elementsEqual(file.bytes))
        let head = try CommandResult.curl(["-sS", "--http2-prior-knowledge", "-I", "\(base)/hello"])
        #expect(head.outputText.hasPrefix("HTTP/2 200"), "\(head.outputText)")
        #expect(server.validatorIsSilent, "\(server.log)")
    }
}
