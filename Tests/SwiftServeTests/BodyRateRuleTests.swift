import Testing

@testable import SwiftServe

/// `--min-body-rate`: an average over the seconds waited, after a grace period.
@Suite("BodyRateRule")
struct BodyRateRuleTests {
    @Test(
        "a body is too slow only after the grace period, and only below the rate on average",
        arguments: [
            (1000, 0, 0, false), (1000, 0, 4, false), (1000, 0, 5, true), (1000, 4999, 5, true),
            (1000, 5000, 5, false), (1000, 9_000, 10, true), (1000, 10_000, 10, false), (0, 0, 100, false),
        ])
    func tooSlow(rate: Int, received: Int, waited: Int, tooSlow: Bool) {
        #expect(BodyRateRule(bytesPerSecond: rate).isTooSlow(received: received, waitedSeconds: waited) == tooSlow)
    }
}
