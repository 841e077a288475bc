import SwiftServeTesting
import Testing

/// Options out of range are refused with exit 2 and one line that says what to give instead.
@Suite("Option errors")
struct OptionErrorTests {
    @Test(
        "an out-of-range hardening option is refused before anything starts",
        arguments: [
            (["--worker-connections", "0"], "--worker-connections must be at least 1, not 0"),
            (["--min-body-rate=-1"], "--min-body-rate must not be negative, not -1"),
            (["--keep-alive-timeout", "0"], "--keep-alive-timeout and --send-timeout must be at least 1 second"),
            (["--send-timeout", "0"], "--keep-alive-timeout and --send-timeout must be at least 1 second"),
            (
                ["--forwarded-allow-ips", "localhost"],
                "malformed --forwarded-allow-ips: 'localhost' is not an IP address"
            ),
            (["--forwarded-allow-ips", "10.0.0.1/8"], "did you mean 10.0.0.0/8?"),
            (["--bind", "proxy:nonsense"], "malformed --bind 'proxy:nonsense'"),
        ])
    func refused(arguments: [String], message: String) throws {
        let result = try CommandResult.swiftserve(
            arguments + ["--bind", "127.0.0.1:0", BuildProducts.plugin("barebones")])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("swiftserve: error: "))
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }
}
