import Testing

@testable import SwiftServe

/// `--bind` values: `HOST:PORT`, `[IPV6]:PORT`, `unix:PATH`.
@Suite("BindTarget")
struct BindTargetTests {
    @Test(
        "the accepted forms parse to a TCP host and port or a unix path",
        arguments: [
            ("127.0.0.1:8000", BindTarget.tcp(host: "127.0.0.1", port: 8000)),
            ("[::1]:8000", .tcp(host: "::1", port: 8000)),
            ("localhost:0", .tcp(host: "localhost", port: 0)),
            ("0.0.0.0:65535", .tcp(host: "0.0.0.0", port: 65535)),
            ("unix:/tmp/x.sock", .unix(path: "/tmp/x.sock")),
        ])
    func accepted(value: String, target: BindTarget) {
        #expect(BindTarget(parsing: value) == target)
    }

    @Test(
        "values in none of the forms are refused",
        arguments: ["8000", "host:", "host:99999", "host:-1", "::1:80", "unix:", "[::1]8000", "[::1", ":8000", "[]:80"])
    func refused(value: String) {
        #expect(BindTarget(parsing: value) == nil)
    }

    @Test(
        "the description parses back to the same value",
        arguments: ["127.0.0.1:8000", "[::1]:8000", "localhost:0", "unix:/tmp/x.sock"])
    func roundTrip(value: String) throws {
        let target = try #require(BindTarget(parsing: value))
        #expect(target.description == value)
        #expect(BindTarget(parsing: target.description) == target)
    }

    @Test("the default is 127.0.0.1:8888")
    func defaultTarget() {
        #expect(BindTarget.default.description == "127.0.0.1:8888")
    }

    @Test(
        "a port is decimal digits only, without a sign",
        arguments: ["127.0.0.1:+80", "localhost:-0", "[::1]:+8000"])
    func signedPort(value: String) {
        #expect(BindTarget(parsing: value) == nil)
    }
}
