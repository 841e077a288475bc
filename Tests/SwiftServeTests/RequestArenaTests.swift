import CSSGI
import NIOCore
import NIOHTTP1
import SSGI
import Testing

@testable import SwiftServe

/// The C form of a request, refilled for each request of a connection.
@Suite("RequestArena")
struct RequestArenaTests {
    static func environment(_ uri: String, headers: [(String, String)]) throws -> TestRequest {
        TestRequest(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: HTTPHeaders(headers)))
    }

    static let connection = ConnectionInfo(
        local: try! SocketAddress(ipAddress: "127.0.0.1", port: 8888),
        remote: try! SocketAddress(ipAddress: "10.0.0.2", port: 54321))

    static func string(_ bytes: ssgi_bytes) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes.data, count: bytes.length), as: UTF8.self)
    }

    static func headers(_ request: ssgi_request) -> [String] {
        (0..<request.header_count).map { index in
            "\(self.string(request.headers[index].name)): \(self.string(request.headers[index].value))"
        }
    }

    @Test("each fill lays out its own request, whether the memory is reused or grown")
    func refill() throws {
        let arena = RequestArena()
        let small = arena.fill(
            try Self.environment("/a?b=1", headers: [("Host", "example.com")]), connection: Self.connection
        ).pointee
        #expect(Self.string(small.path_info) == "/a")
        #expect(Self.string(small.query_string) == "b=1")
        #expect(Self.headers(small) == ["Host: example.com"])

        let many = (0..<40).map { ("X-Header-\($0)", String(repeating: "v", count: 50)) }
        let large = arena.fill(
            try Self.environment("/large", headers: [("Host", "h")] + many), connection: Self.connection
        ).pointee
        #expect(Self.string(large.path_info) == "/large")
        #expect(Self.string(large.server_name) == "h")
        #expect(Self.headers(large).count == 41)
        #expect(Self.headers(large).last == "X-Header-39: \(String(repeating: "v", count: 50))")

        let again = arena.fill(
            try Self.environment("/b", headers: [("Host", "example.org:81")]), connection: Self.connection
        ).pointee
        #expect(Self.string(again.path_info) == "/b")
        #expect(Self.string(again.query_string) == "")
        #expect(Self.string(again.server_port) == "81")
        #expect(Self.headers(again) == ["Host: example.org:81"])
    }
}
