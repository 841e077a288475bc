import Foundation
import SwiftServeTesting
import Testing

/// The Rust example of `Plugins/rust`, written against `ssgi.h` and the specification alone,
/// served by the same binary as any plugin: its INLINE entry point (`app`, per-request state in an
/// `Rc` of `Cell`s) and its THREAD_POOL one (`app_threads`, blocking threads). Skipped where cargo
/// is missing, except on CI.
@Suite(
    "A plugin written in Rust",
    .enabled(
        if: TestEnvironment.runs(needing: RustPlugin.cargo != nil),
        "cargo (Rust) is not on the PATH: the Rust plugin of Plugins/rust is not built or tested"))
struct RustPluginTests {
    static let entryPoints = ["app", "app_threads"]

    private func serve(_ entryPoint: String, arguments: [String] = ["--workers", "0"]) throws -> ServerProcess {
        try ServerProcess(application: "\(try RustPlugin.library.get()):\(entryPoint)", arguments: arguments)
    }

    @Test("GET /hello answers from Rust; startup and shutdown run", arguments: entryPoints)
    func hello(entryPoint: String) throws {
        let server = try self.serve(entryPoint)
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "Hello world from Rust!\n")
        #expect(response.header("Content-Length") == "23")
        #expect(response.header("X-Written-In") == "Rust")
        #expect(server.log.contains("(SSGI ABI 1.0, unknown SDK, Rust, execution: "))
        #expect(server.log.contains("hello-rust: started ("))
        #expect(server.stop() == 0)
        #expect(server.log.contains("hello-rust: shutdown ("), "\(server.log)")
    }

    @Test(
        "a 20 MiB upload arrives intact, with Content-Length and chunked", .timeLimit(.minutes(2)),
        arguments: entryPoints, [false, true])
    func upload(entryPoint: String, chunked: Bool) throws {
        let server = try self.serve(entryPoint)
        defer { server.stop() }
        let file = try PatternedFile(count: 20 * 1024 * 1024)
        defer { file.remove() }
        let result = try CommandResult.curl(
            ["-s", "--data-binary", "@\(file.path)", "http://127.0.0.1:\(server.port)/upload"]
                + (chunked ? ["-H", "Transfer-Encoding: chunked"] : []))
        let hash = String(repeating: "0", count: 16 - file.fnv1a.count) + file.fnv1a
        #expect(result.outputText == "read \(file.bytes.count) bytes, fnv1a64 \(hash)\n")
    }

    @Test(
        "/echo sends the body back while it reads it, with back-pressure both ways", .timeLimit(.minutes(2)),
        arguments: entryPoints)
    func echo(entryPoint: String) throws {
        let server = try self.serve(entryPoint)
        defer { server.stop() }
        let file = try PatternedFile(count: 8 * 1024 * 1024)
        defer { file.remove() }
        let result = try CommandResult.curl([
            "-s", "-T", file.path, "-H", "Transfer-Encoding: chunked", "http://127.0.0.1:\(server.port)/echo",
        ])
        #expect(result.status == 0)
        #expect(result.standardOutput == Data(file.bytes))
    }

    @Test("/stream writes each line after the previous one's completion", arguments: entryPoints)
    func stream(entryPoint: String) throws {
        let server = try self.serve(entryPoint)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /stream?lines=1000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.bodyText == (1...1000).map { "line \($0)\n" }.joined())
    }

    @Test(
        "a client that goes away in the middle of a stream: the writes' completions say so, and the cleanup",
        arguments: entryPoints)
    func clientGoesAway(entryPoint: String) throws {
        let server = try self.serve(entryPoint)
        defer { server.stop() }
        var client: RawHTTPClient? = try RawHTTPClient(port: server.port, receiveBuffer: 4096)
        try client?.send("GET /stream?lines=1000000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client?.readLine() == "HTTP/1.1 200 OK")
        client = nil  // closes the connection
        #expect(server.waitForLog("hello-rust: the client went away after"), "\(server.log)")
        #expect(server.log.contains("(write_done -8)"))
        #expect(server.waitForLog("hello-rust: response not delivered (cleanup -8)"), "\(server.log)")
    }

    @Test(
        "a panic in handle or in a callback stays on the application's side: the client gets a 500 and the process serves on",
        arguments: entryPoints, ["GET /panic", "POST /panic-in-read"])
    func panicsAreCaught(entryPoint: String, request: String) throws {
        let server = try self.serve(entryPoint)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("\(request) HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nbody")
        #expect(try client.readResponse().status == 500)
        #expect(server.waitForLog("hello-rust: panicked"), "\(server.log)")
        #expect(server.log.contains("deliberate panic"))
        let next = try RawHTTPClient(port: server.port)
        try next.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try next.readResponse().bodyText == "Hello world from Rust!\n")
    }

    @Test("the Rust plugin passes the validator, reading its body through it", arguments: entryPoints)
    func validated(entryPoint: String) throws {
        let server = try self.serve(entryPoint, arguments: ["--workers", "0", "--validate"])
        defer { server.stop() }
        for _ in 0..<20 {
            let client = try RawHTTPClient(port: server.port)
            try client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")
            let response = try client.readResponse()
            #expect(response.bodyText == "read 5 bytes, fnv1a64 a430d84680aabd0b\n")
        }
        #expect(!server.log.contains("SSGI validation failed"), "\(server.log)")
    }

    @Test("served by worker processes, the Rust plugin answers as in one process", arguments: entryPoints)
    func workers(entryPoint: String) throws {
        let server = try self.serve(entryPoint, arguments: ["--workers", "2"])
        defer { server.stop() }
        let result = try CommandResult.curl(["-s", "http://127.0.0.1:\(server.port)/hello"])
        #expect(result.outputText == "Hello world from Rust!\n")
    }
}
