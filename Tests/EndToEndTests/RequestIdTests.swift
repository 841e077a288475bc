import Foundation
import SwiftServeTesting
import Testing

/// `--request-id` (docs/SPEC.md §6.3): a client's valid `X-Request-Id` is kept, any other is
/// replaced by one the server makes, and the application, the access log and the response all
/// carry the same id.
@Suite("Request ids")
struct RequestIdTests {
    private let environ = BuildProducts.plugin("environ")

    private func environ(of response: RawResponse) throws -> [String: String] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
    }

    private func start(_ arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(
            application: self.environ,
            arguments: ["--workers", "1", "--request-id", "--access-log", "-", "--access-log-format", "json"]
                + arguments)
    }

    @Test("a valid X-Request-Id is kept: the application, the response and the log carry it")
    func kept() throws {
        let server = try self.start()
        defer { server.stop() }
        let response = try server.request("GET", "/", headers: [("X-Request-Id", "upstream-7f3a")])
        #expect(response.header("X-Request-Id") == "upstream-7f3a")
        #expect(try self.environ(of: response)["HTTP_X_REQUEST_ID"] == "upstream-7f3a")
        #expect(server.waitForLog(#""request_id":"upstream-7f3a""#))
    }

    @Test("without one, or with one the server does not keep, the server makes one and the application reads it")
    func made() throws {
        let server = try self.start()
        defer { server.stop() }
        var ids: Set<String> = []
        for incoming in [nil, "has space", String(repeating: "x", count: 129)] {
            let response = try server.request("GET", "/", headers: incoming.map { [("X-Request-Id", $0)] } ?? [])
            let id = try #require(response.header("X-Request-Id"))
            #expect(id.range(of: #"^[0-9a-f]{16}-[0-9a-f]+-[0-9a-f]+$"#, options: .regularExpression) != nil, "\(id)")
            #expect(try self.environ(of: response)["HTTP_X_REQUEST_ID"] == id, "the client's value is gone")
            #expect(server.waitForLog("\"request_id\":\"\(id)\""))
            ids.insert(id)
        }
        #expect(ids.count == 3)
    }

    @Test("ids made on one connection differ")
    func distinctOnOneConnection() throws {
        let server = try ServerProcess(
            application: BuildProducts.plugin("faults"), arguments: ["--workers", "0", "--request-id"])
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        let first = try client.exchange("GET", "/pid").header("X-Request-Id")
        let second = try client.exchange("GET", "/pid").header("X-Request-Id")
        #expect(first != nil && second != nil && first != second)
    }

    @Test("over HTTP/2 too: a valid id is kept, any other replaced by one the server makes")
    func http2() throws {
        let server = try self.start()
        defer { server.stop() }
        var ids: [String] = []
        for incoming in ["upstream-h2", "has space", nil, nil] {
            let result = try CommandResult.curl(
                ["-sS", "--http2-prior-knowledge", "-D", "-", "http://127.0.0.1:\(server.port)/"]
                    + (incoming.map { ["-H", "X-Request-Id: \($0)"] } ?? []))
            let text = result.outputText
            let header = try #require(
                text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-request-id: ") }, "\(text)")
            let id = String(header.dropFirst("x-request-id: ".count))
            let body = try #require(text.range(of: "\r\n\r\n")).upperBound
            let environ = try #require(
                JSONSerialization.jsonObject(with: Data(text[body...].utf8)) as? [String: String])
            #expect(environ["SERVER_PROTOCOL"] == "HTTP/2")
            #expect(environ["HTTP_X_REQUEST_ID"] == id, "the client's value is gone")
            #expect(server.waitForLog("\"request_id\":\"\(id)\""), "\(server.log)")
            if incoming == "upstream-h2" {
                #expect(id == "upstream-h2")
            } else {
                #expect(
                    id.range(of: #"^[0-9a-f]{16}-[0-9a-f]+-[0-9a-f]+$"#, options: .regularExpression) != nil, "\(id)")
            }
            ids.append(id)
        }
        #expect(Set(ids).count == 4)
    }

    @Test("without --request-id the response has no X-Request-Id")
    func offByDefault() throws {
        let server = try ServerProcess(application: self.environ, arguments: ["--workers", "0"])
        defer { server.stop() }
        let response = try server.request("GET", "/")
        #expect(response.header("X-Request-Id") == nil)
        #expect(try self.environ(of: response)["HTTP_X_REQUEST_ID"] == nil)
    }
}
