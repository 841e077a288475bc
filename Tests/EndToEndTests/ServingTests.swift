import Foundation
import SwiftServeTesting
import Testing

/// HTTP/1.1 behaviour of the real `swiftserve` binary serving real plugins over real sockets.
@Suite("Serving HTTP/1.1")
struct ServingTests {
    @Test("barebones answers 200 with the hello body, Content-Type, Content-Length, Date and Server")
    func barebonesHello() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones") + ":app")
        defer { server.stop() }
        let result = try CommandResult.curl(["-sv", "http://127.0.0.1:\(server.port)/hello"])
        #expect(result.status == 0)
        #expect(result.outputText == "Hello world from a simple SSGI application!\n")
        let log = result.standardError
        #expect(log.contains("< HTTP/1.1 200 OK"))
        #expect(log.contains("< Content-Type: text/plain"))
        #expect(log.contains("< Content-Length: 44"))
        #expect(log.contains("< Server: swiftserve"))
        let dateLine = try #require(log.split(whereSeparator: \.isNewline).first { $0.hasPrefix("< Date: ") })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = try #require(
            formatter.date(from: String(dateLine.dropFirst(8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(abs(date.timeIntervalSinceNow) < 60)
    }

    @Test("the Server header and the application's server_software both name the server and its version")
    func serverSoftware() throws {
        let version = try CommandResult.swiftserve(["--version"]).outputText.trimmingCharacters(in: .newlines)
        #expect(!version.isEmpty)
        let server = try ServerProcess(application: "\(try CFixtures.probe.get()):inline_app")
        defer { server.stop() }
        #expect(server.log.contains("probe: server_software=swiftserve/\(version)\n"), "\(server.log)")
        #expect(try server.request("GET", "/").header("Server") == "swiftserve/\(version)")
        // The server's own responses carry it too.
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")
        let refusal = try client.readResponse()
        #expect(refusal.status == 400)
        #expect(refusal.header("Server") == "swiftserve/\(version)")
    }

    @Test("a line an application writes with log_error names the request it belongs to")
    func applicationLogLineNamesRequest() throws {
        let server = try ServerProcess(application: "\(try CFixtures.probe.get()):thread_pool_app")
        defer { server.stop() }
        #expect(try server.request("GET", "/log?from=test").bodyText == "logged\n")
        #expect(server.waitForLog("probe: a line from the application"))
        let line = server.log.split(separator: "\n").first { $0.contains("probe: a line from the application") }
        #expect(line?.contains("GET /log?from=test") == true, "\(line ?? "")")
        #expect(line?.contains("peer=127.0.0.1:") == true, "\(line ?? "")")
        #expect(line?.contains(" error ") == true, "\(line ?? "")")
    }

    @Test(
        "the server logs the execution style an application declares",
        arguments: [("inline_app", "inline"), ("thread_pool_app", "thread pool")])
    func executionLogged(entry: String, execution: String) throws {
        let server = try ServerProcess(application: "\(try CFixtures.probe.get()):\(entry)")
        defer { server.stop() }
        let line = server.log.split(separator: "\n").first { $0.contains("loaded application 'probe'") }
        #expect(line?.contains("C, execution: \(execution))") == true, "\(server.log)")
    }

    @Test("keep-alive: several requests are answered on one connection")
    func keepAlive() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        for path in ["/first", "/second", "/third"] {
            try client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText.contains("\"PATH_INFO\": \"\(path)\""))
            #expect(response.header("Connection") == nil)
        }
        #expect(!client.peerClosed)
    }

    @Test("pipelining: requests sent together are answered in order")
    func pipelining() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let paths = (1...5).map { "/request-\($0)" }
        try client.send(paths.map { "GET \($0) HTTP/1.1\r\nHost: localhost\r\n\r\n" }.joined())
        for path in paths {
            let response = try client.readResponse()
            #expect(response.bodyText.contains("\"PATH_INFO\": \"\(path)\""))
        }
    }

    @Test("pipelined requests with bodies are each given their own body")
    func pipeliningWithBodies() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("echo"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let bodies = ["first body", "second", "the third body"]
        try client.send(
            bodies.map { "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \($0.utf8.count)\r\n\r\n\($0)" }
                .joined())
        for body in bodies {
            #expect(try client.readResponse().bodyText == body)
        }
    }

    @Test("an HTTP/1.0 client gets a body delimited by close when the length is unknown")
    func http10CloseDelimited() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /stream?n=3 HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Transfer-Encoding") == nil)
        #expect(response.bodyText == "chunk 0\nchunk 1\nchunk 2\n")
        #expect(client.peerClosed)
    }

    @Test("an HTTP/1.0 client that asks for keep-alive keeps its connection")
    func http10KeepAlive() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        for _ in 0..<2 {
            try client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Connection")?.lowercased() == "keep-alive")
            #expect(response.header("Content-Length") == "44")
        }
        try client.send("GET / HTTP/1.0\r\n\r\n")
        let last = try client.readResponse()
        #expect(last.status == 200)
        #expect(client.serverCloses())
    }

    @Test("Connection: close is answered with Connection: close and the connection ends")
    func connectionClose() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.header("Connection") == "close")
        #expect(client.serverCloses())
    }

    @Test("a request that asks for a protocol upgrade is answered as a plain request, then the connection closes")
    func upgradeRequest() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(client.serverCloses())
    }

    @Test("HEAD gets the GET headers, Content-Length included, and no body")
    func head() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("barebones"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("HEAD /hello HTTP/1.1\r\nHost: localhost\r\n\r\nGET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "44")
        // If HEAD had carried a body, these bytes would be read as the next status line.
        let get = try client.readResponse()
        #expect(get.bodyText == "Hello world from a simple SSGI application!\n")
    }

    @Test("HEAD of a streamed response sends no chunks")
    func headOfStream() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("faults"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "HEAD /stream?n=4 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let head = try client.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(try client.readResponse().bodyText == "ok\n")
    }

    @Test("an absolute-form target names the server by its authority, not by Host")
    func absoluteForm() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET http://example.org:8081/abs?q=1 HTTP/1.1\r\nHost: ignored.example\r\n\r\n")
        let body = try client.readResponse().bodyText
        #expect(body.contains("\"SERVER_NAME\": \"example.org\""))
        #expect(body.contains("\"SERVER_PORT\": \"8081\""))
        #expect(body.contains("\"PATH_INFO\": \"/abs\""))
        #expect(body.contains("\"QUERY_STRING\": \"q=1\""))
    }

    @Test("a unix socket bind serves the same application")
    func unixSocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "swiftserve-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        ).path
        let server = try ServerProcess(
            application: BuildProducts.plugin("environ"), arguments: ["--bind", "unix:\(path)"])
        defer { server.stop() }
        let result = try CommandResult.curl(["-s", "--unix-socket", path, "http://localhost/over-unix"])
        #expect(result.status == 0)
        #expect(result.outputText.contains("\"PATH_INFO\": \"/over-unix\""))
        #expect(result.outputText.contains("\"REMOTE_ADDR\": \"\""))
        #expect(result.outputText.contains("\"SERVER_NAME\": \"localhost\""))
    }

    @Test("the environ holds the CGI keys, one HTTP_ key per header, and drops names with underscores")
    func environKeys() throws {
        let server = try ServerProcess(application: BuildProducts.plugin("environ"))
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /a%20b/c?x=1&y=%20 HTTP/1.1\r\nHost: example.com:8080\r\nX-Multi: one\r\nX-Multi: two\r\n"
                + "Cookie: a=1\r\nCookie: b=2\r\nContent_Length: 99\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\n\r\nhello")
        let body = try client.readResponse().bodyText
        for expected in [
            "\"REQUEST_METHOD\": \"POST\"", "\"PATH_INFO\": \"/a b/c\"", "\"QUERY_STRING\": \"x=1&y=%20\"",
            "\"SERVER_NAME\": \"example.com\"", "\"SERVER_PORT\": \"8080\"", "\"SERVER_PROTOCOL\": \"HTTP/1.1\"",
            "\"CONTENT_TYPE\": \"text/plain\"", "\"CONTENT_LENGTH\": \"5\"", "\"REMOTE_ADDR\": \"127.0.0.1\"",
            "\"HTTP_X_MULTI\": \"one, two\"", "\"HTTP_COOKIE\": \"a=1; b=2\"", "\"ssgi.version\": \"1.2\"",
            "\"ssgi.url_scheme\": \"http\"", "\"ssgi.input.bytes_read\": \"5\"", "\"SCRIPT_NAME\": \"\"",
        ] {
            #expect(body.contains(expected), "missing \(expected) in \(body)")
        }
        #expect(!body.contains("HTTP_CONTENT_LENGTH"))
        #expect(!body.contains("Content_Length"))
        #expect(!body.contains("HTTP_CONTENT_TYPE"))
        #expect(!body.contains(": \"99\""))
    }
}
