import SwiftServeTesting
import Testing

/// An application written in C against `ssgi.h` alone, served by the same binary: the ABI is C.
@Suite("A plugin written in C")
struct CPluginTests {
    @Test("the C plugin answers GET")
    func get() throws {
        let library = try CFixtures.hello.get()
        let server = try ServerProcess(application: "\(library):app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("X-Written-In") == "C")
        #expect(response.header("Content-Length") == "14")
        #expect(response.bodyText == "Hello from C!\n")
        #expect(server.log.contains("loaded application 'hello-c'"))
    }

    @Test("the C plugin reads a chunked body with ops->read and streams its answer")
    func post() throws {
        let library = try CFixtures.hello.get()
        let server = try ServerProcess(application: "\(library):app")
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let payload = String(repeating: "x", count: 200_000)
        try client.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(payload.utf8.count)\r\n\r\n\(payload)")
        let response = try client.readResponse()
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.bodyText == "C says: read 200000 bytes\n")
    }
}
