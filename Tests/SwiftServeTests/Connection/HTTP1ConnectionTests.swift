import NIOCore
import Testing

@testable import SwiftServe

/// The connection's state machine alone, with a clock of the tests' own: each event and the
/// action it returns, each deadline and what its timer does when it passes.
@Suite("HTTP1Connection")
struct HTTP1ConnectionTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    static let configuration = HTTP1Connection.Configuration(
        headerTimeout: .seconds(30), keepAliveTimeout: .seconds(5), sendTimeout: .seconds(60),
        bodyRate: BodyRateRule(bytesPerSecond: 1024))

    static func connection() -> HTTP1Connection {
        HTTP1Connection(configuration: Self.configuration, now: Self.start)
    }

    static func at(_ seconds: Int64) -> NIODeadline { Self.start + .seconds(seconds) }

    @Test("a new connection waits for a head until the header timeout, then closes silently")
    func newConnection() {
        var connection = Self.connection()
        #expect(connection.nextDeadline == Self.at(30))
        #expect(connection.readsInput)
        do {
            let result = connection.timerFired(now: Self.at(29), readingHeldBack: false)
            #expect(result == .none)
        }
        do {
            let result = connection.timerFired(now: Self.at(30), readingHeldBack: false)
            #expect(result == .close)
        }
        #expect(!connection.readsInput)
    }

    @Test("part of a head by the header timeout is answered 408")
    func partialHead() {
        var connection = Self.connection()
        connection.bytesArrived(now: Self.at(1))
        do {
            let result = connection.timerFired(now: Self.at(30), readingHeldBack: false)
            #expect(result == .requestTimeout)
        }
    }

    @Test("a request without a body: the call starts, the response completes it, the keep-alive timeout runs")
    func requestWithoutBody() {
        var connection = Self.connection()
        do {
            let result = connection.headReceived(
                keepAlive: true, expectsContinue: false, hasBody: false, now: Self.at(1))
            #expect(result == .startCall)
        }
        #expect(!connection.readsInput)
        #expect(connection.nextDeadline == nil)
        #expect(connection.responseKeepAlive)
        do {
            let result = connection.responseFinished(keepAlive: true, now: Self.at(2))
            #expect(result == .readNext)
        }
        #expect(connection.nextDeadline == Self.at(7))
        do {
            let result = connection.timerFired(now: Self.at(7), readingHeldBack: false)
            #expect(result == .close)
        }
    }

    @Test("a request that does not keep the connection alive closes it after the response")
    func closeAfterResponse() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: false, expectsContinue: false, hasBody: false, now: Self.at(1))
        #expect(!connection.responseKeepAlive)
        do {
            let result = connection.responseFinished(keepAlive: true, now: Self.at(2))
            #expect(result == .close)
        }
    }

    @Test("a body is read while the call runs; the request completes when both its body and response are done")
    func bodyAndResponse() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(1))
        #expect(connection.readsInput)
        do {
            let result = connection.bodyReceived(count: 10)
            #expect(result == .deliver)
        }
        do {
            let result = connection.bodyEnded(now: Self.at(2))
            #expect(result == HTTP1Connection.CompletionAction.none)
        }
        do {
            let result = connection.responseFinished(keepAlive: true, now: Self.at(3))
            #expect(result == .readNext)
        }
    }

    @Test("a body left unread after the response is thrown away, up to the drain limit")
    func drain() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(1))
        do {
            let result = connection.responseFinished(keepAlive: true, now: Self.at(2))
            #expect(result == HTTP1Connection.CompletionAction.none)
        }
        #expect(connection.isDraining)
        do {
            let result = connection.bodyReceived(count: 1024 * 1024)
            #expect(result == .discard)
        }
        do {
            let result = connection.bodyReceived(count: 1)
            #expect(result == .close)
        }
    }

    @Test("a drained body that ends in time lets the connection serve the next request")
    func drainThenNext() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(1))
        _ = connection.responseFinished(keepAlive: true, now: Self.at(2))
        do {
            let result = connection.bodyReceived(count: 100)
            #expect(result == .discard)
        }
        do {
            let result = connection.bodyEnded(now: Self.at(3))
            #expect(result == .readNext)
        }
    }

    @Test("100 Continue is sent once, at the first read, before the response and the body")
    func continueOnce() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: true, hasBody: true, now: Self.at(1))
        do {
            let result = connection.bodyWanted()
            #expect(result)
        }
        do {
            let result = connection.bodyWanted()
            #expect(!result)
        }
    }

    @Test("no 100 Continue after the response started; a response without reading closes the connection")
    func noContinueAfterResponse() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: true, hasBody: true, now: Self.at(1))
        connection.responseCommitted()
        do {
            let result = connection.bodyWanted()
            #expect(!result)
        }
        do {
            let result = connection.responseFinished(keepAlive: true, now: Self.at(2))
            #expect(result == .close)
        }
    }

    @Test(
        "a refusal while idle is answered; during a request, answered before the response, else after it or not at all")
    func refusals() {
        var idle = Self.connection()
        do {
            let result = idle.refuse()
            #expect(result == .refuse)
        }
        var before = Self.connection()
        _ = before.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(1))
        do {
            let result = before.refuse()
            #expect(result == .refuse)
        }
        var during = Self.connection()
        _ = during.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(1))
        during.responseCommitted()
        do {
            let result = during.refuse()
            #expect(result == .closeAfterResponse)
        }
        do {
            let result = during.responseFinished(keepAlive: true, now: Self.at(2))
            #expect(result == .close)
        }
        var after = Self.connection()
        _ = after.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(1))
        _ = after.responseFinished(keepAlive: true, now: Self.at(2))
        do {
            let result = after.refuse()
            #expect(result == .close)
        }
    }

    @Test("a head that starts during the keep-alive wait gets the header timeout from its first byte")
    func keepAliveThenHead() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: false, now: Self.at(1))
        _ = connection.responseFinished(keepAlive: true, now: Self.at(2))
        connection.bytesArrived(now: Self.at(4))
        do {
            let result = connection.timerFired(now: Self.at(7), readingHeldBack: false)
            #expect(result == .none)
        }
        #expect(connection.nextDeadline == Self.at(34))
        do {
            let result = connection.timerFired(now: Self.at(34), readingHeldBack: false)
            #expect(result == .requestTimeout)
        }
    }

    @Test("a body slower than the minimum rate fails after the grace period; time held back does not count")
    func bodyRate() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(0))
        _ = connection.bodyReceived(count: 10)
        for second in 1...4 {
            do {
                let result = connection.timerFired(now: Self.at(Int64(second)), readingHeldBack: false)
                #expect(result == .none)
            }
        }
        // Held back for the application: these seconds are not the client's.
        for second in 5...9 {
            do {
                let result = connection.timerFired(now: Self.at(Int64(second)), readingHeldBack: true)
                #expect(result == .none)
            }
        }
        #expect(
            connection.timerFired(now: Self.at(10), readingHeldBack: false)
                == .slowBody(respond: true, received: 10, waitedSeconds: 5))
    }

    @Test("a slow body after the response started closes without an answer")
    func slowBodyAfterResponse() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: true, now: Self.at(0))
        connection.responseCommitted()
        for second in 1...4 { _ = connection.timerFired(now: Self.at(Int64(second)), readingHeldBack: false) }
        #expect(
            connection.timerFired(now: Self.at(5), readingHeldBack: false)
                == .slowBody(respond: false, received: 0, waitedSeconds: 5))
    }

    @Test("a client that reads nothing for the send timeout is cut off; writability in time clears it")
    func sendTimeout() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: false, now: Self.at(1))
        connection.writabilityChanged(isWritable: false, now: Self.at(2))
        connection.writabilityChanged(isWritable: true, now: Self.at(50))
        do {
            let result = connection.timerFired(now: Self.at(62), readingHeldBack: false)
            #expect(result == .none)
        }
        connection.writabilityChanged(isWritable: false, now: Self.at(70))
        #expect(connection.nextDeadline == Self.at(130))
        do {
            let result = connection.timerFired(now: Self.at(130), readingHeldBack: false)
            #expect(result == .closeNow)
        }
    }

    @Test("a stop closes an idle connection after the quiet period, unless bytes arrive first")
    func stopWhenIdle() {
        var quiet = Self.connection()
        _ = quiet.requestStop(now: Self.at(1))
        #expect(quiet.nextDeadline == Self.at(2))
        do {
            let result = quiet.timerFired(now: Self.at(2), readingHeldBack: false)
            #expect(result == .close)
        }
        var busy = Self.connection()
        _ = busy.requestStop(now: Self.at(1))
        busy.bytesArrived(now: Self.at(1))
        do {
            let result = busy.timerFired(now: Self.at(2), readingHeldBack: false)
            #expect(result == .none)
        }
        do {
            let result = busy.headReceived(keepAlive: true, expectsContinue: false, hasBody: false, now: Self.at(3))
            #expect(result == .startCall)
        }
        #expect(!busy.responseKeepAlive)
        do {
            let result = busy.responseFinished(keepAlive: true, now: Self.at(4))
            #expect(result == .close)
        }
    }

    @Test("a stop during a request closes after its response")
    func stopDuringRequest() {
        var connection = Self.connection()
        _ = connection.headReceived(keepAlive: true, expectsContinue: false, hasBody: false, now: Self.at(1))
        _ = connection.requestStop(now: Self.at(2))
        #expect(!connection.responseKeepAlive)
        do {
            let result = connection.responseFinished(keepAlive: true, now: Self.at(3))
            #expect(result == .close)
        }
    }

}
