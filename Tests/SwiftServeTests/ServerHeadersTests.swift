import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@testable import SwiftServe

/// The Date and Server lines the server adds, formatted once a second.
@Suite("ServerHeaders")
struct ServerHeadersTests {
    /// RFC 9110's example date, Sun, 06 Nov 1994 08:49:37 GMT, in seconds since the epoch.
    static let example = 784_111_777

    static func lines(_ headers: ServerHeaders, date: Bool = true, server: Bool = true) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        headers.write(date: date, server: server, into: &buffer)
        return String(buffer: buffer)
    }

    @Test("the lines are Date for the second given, then Server")
    func lines() {
        var headers = ServerHeaders(serverSoftware: "swiftserve")
        headers.refresh(now: time_t(Self.example))
        #expect(Self.lines(headers) == "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: swiftserve\r\n")
    }

    @Test("only the lines the application did not set are written")
    func eitherLine() {
        var headers = ServerHeaders(serverSoftware: "swiftserve")
        headers.refresh(now: time_t(Self.example))
        #expect(Self.lines(headers, server: false) == "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
        #expect(Self.lines(headers, date: false) == "Server: swiftserve\r\n")
        #expect(Self.lines(headers, date: false, server: false) == "")
    }

    @Test("the Date line changes with the second, and only then")
    func formattedOnceASecond() {
        var headers = ServerHeaders(serverSoftware: "swiftserve")
        headers.refresh(now: time_t(Self.example))
        let first = headers.lines
        headers.refresh(now: time_t(Self.example))
        #expect(headers.lines == first)
        headers.refresh(now: time_t(Self.example + 1))
        #expect(Self.lines(headers, server: false) == "Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n")
    }

    @Test("HTTPDate formats again only when the second changes")
    func httpDateRefresh() {
        var date = HTTPDate()
        let first = date.refresh(now: time_t(Self.example))
        let sameSecond = date.refresh(now: time_t(Self.example))
        let minuteLater = date.refresh(now: time_t(Self.example + 60))
        #expect(first)
        #expect(!sameSecond)
        #expect(minuteLater)
        #expect(String(decoding: date.cachedIMF, as: UTF8.self) == "Sun, 06 Nov 1994 08:50:37 GMT")
    }
}
