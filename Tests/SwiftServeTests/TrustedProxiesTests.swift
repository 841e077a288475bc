import NIOCore
import Testing

@testable import SwiftServe

/// `--forwarded-allow-ips`: addresses, CIDR networks and `*`.
@Suite("TrustedProxies")
struct TrustedProxiesTests {
    @Test(
        "addresses and networks of both families are trusted exactly",
        arguments: [
            ("127.0.0.1,::1", "127.0.0.1", true), ("127.0.0.1,::1", "::1", true), ("127.0.0.1,::1", "127.0.0.2", false),
            ("127.0.0.1", "::ffff:127.0.0.1", true), ("10.0.0.0/8", "10.255.1.2", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("192.168.1.0/24", "192.168.1.255", true), ("192.168.1.0/24", "192.168.2.0", false),
            ("fd00::/8", "fd12:3456::1", true), ("fd00::/8", "fe80::1", false), ("0.0.0.0/0", "8.8.8.8", true),
            ("0.0.0.0/0", "2001:db8::1", false), ("::/0", "2001:db8::1", true), ("*", "203.0.113.7", true),
            ("*", "2001:db8::1", true), ("", "127.0.0.1", false), (" 10.0.0.1 , 10.0.0.2 ", "10.0.0.2", true),
            ("2001:db8::/127", "2001:db8::1", true), ("2001:db8::/127", "2001:db8::2", false),
        ])
    func trusts(list: String, address: String, trusted: Bool) throws {
        let proxies = try TrustedProxies(parsing: list)
        #expect(proxies.trusts(try #require(IPAddress(address))) == trusted)
    }

    @Test("a unix-socket peer is trusted, whatever the list")
    func unixSocketPeer() throws {
        let proxies = try TrustedProxies(parsing: "")
        #expect(proxies.trusts(peer: try SocketAddress(unixDomainSocketPath: "/tmp/swiftserve.sock")))
        #expect(!proxies.trusts(peer: try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
        #expect(!proxies.trusts(peer: nil))
    }

    @Test(
        "a malformed list is refused with a message that names the entry",
        arguments: [
            ("localhost", "'localhost' is not an IP address"), ("10.0.0.0/33", "prefix length that is not 0 to 32"),
            ("10.0.0.1/8", "did you mean 10.0.0.0/8?"), ("::1/129", "not 0 to 128"), ("1.2.3.4/x", "prefix length"),
            ("10.0.0.0/-1", "prefix length"),
        ])
    func malformed(list: String, message: String) {
        #expect {
            try TrustedProxies(parsing: list)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("addresses print in canonical form")
    func canonicalText() throws {
        #expect(try #require(IPAddress("::ffff:10.0.0.1")).description == "10.0.0.1")
        #expect(try #require(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0001")).description == "2001:db8::1")
        #expect(
            try TrustedProxies(parsing: "127.0.0.1,::1,10.0.0.0/8").description == "127.0.0.1/32,::1/128,10.0.0.0/8")
    }
}
