import CSSGI
import NIOCore
import NIOEmbedded
import Testing

@testable import SwiftServe

/// The connection in process, on an `EmbeddedChannel` whose clock the tests move (NIO's
/// `HTTPServerPipelineHandlerTest` is the model): the real pipeline, parser, state machine, call
/// core and response assembly, with an application written against the C ABI. The end-to-end
/// suite checks the same behaviours over sockets against the real binary.
@Suite("HTTP/1.1 connection", .serialized)
struct HTTP1ConnectionHandlerTests {
    static let get = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"
    var application: ConnectionTestApplication { .shared }

    /// The status codes of the responses in `output`, in order.
    static func statuses(_ output: String) -> [Int] {
        output.components(separatedBy: "HTTP/1.1 ").dropFirst().compactMap { Int($0.prefix(3)) }
    }

    @Test("a request is answered, with the length the server computed, and the connection stays open")
    func answered() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange(Self.get)
        #expect(output.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"))
        #expect(output.contains("\r\nContent-Length: 6\r\n"))
        #expect(output.hasSuffix("\r\n\r\nhello\n"))
        #expect(channel.isActive)
    }

    @Test("pipelined requests are handed to the application one at a time and answered in order")
    func pipelining() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange(
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" + Self.get
                + "GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Self.statuses(output) == [200, 200, 200])
        #expect(output.range(of: "abc")!.lowerBound < output.range(of: "hello\n")!.lowerBound)
        #expect(output.hasSuffix("0\r\n\r\n"))
        #expect(
            self.application.events.filter { $0.hasPrefix("handle") } == [
                "handle /echo", "handle /hello", "handle /stream",
            ])
        #expect(
            self.application.events.firstIndex(of: "read end")! < self.application.events.firstIndex(
                of: "handle /hello")!)
    }

    @Test("a request without a body reads as ended at once")
    func bodylessRead() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange("GET /echo HTTP/1.0\r\n\r\n")
        #expect(Self.statuses(output) == [200])
        #expect(self.application.events.contains("read end"))
        #expect(!channel.isActive)
    }

    @Test("a request held by the application holds back the next one, which is served once it finishes")
    func heldRequestHoldsTheNext() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n" + Self.get)
        #expect(!output.contains("hello"))
        #expect(self.application.events.filter { $0.hasPrefix("handle") } == ["handle /hold"])
        self.application.release(writing: "done\n")
        channel.embeddedEventLoop.run()
        let rest = channel.output()
        #expect(rest.contains("done\n"))
        #expect(rest.contains("hello\n"))
        #expect(self.application.events.filter { $0.hasPrefix("handle") } == ["handle /hold", "handle /hello"])
    }

    @Test("Expect: 100-continue is answered when the application reads, not before")
    func continueWhenRead() throws {
        let channel = try ConnectionTestChannel.make()
        let head = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        #expect(try channel.exchange(head) == "HTTP/1.1 100 Continue\r\n\r\n")
        let output = try channel.exchange("hello")
        #expect(Self.statuses(output) == [200])
        #expect(output.hasSuffix("hello"))
    }

    @Test("Expect: 100-continue is not answered when the application responds without reading; the connection closes")
    func noContinueWithoutRead() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange(
            "POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(!output.contains("100 Continue"))
        #expect(Self.statuses(output) == [200])
        #expect(!channel.isActive)
    }

    @Test("a body the application did not read is thrown away, and the next request is served")
    func drainUnreadBody() throws {
        let channel = try ConnectionTestChannel.make()
        var output = try channel.exchange("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234")
        #expect(Self.statuses(output) == [200])
        output = try channel.exchange("56789" + Self.get)
        #expect(Self.statuses(output) == [200])
        #expect(output.hasSuffix("hello\n"))
        #expect(channel.isActive)
    }

    @Test("more than 1 MiB of unread body after the response closes the connection")
    func drainLimit() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange("POST /ignore HTTP/1.1\r\nHost: a\r\nContent-Length: 3000000\r\n\r\n")
        let chunk = String(repeating: "x", count: 64 * 1024)
        for _ in 0..<18 where channel.isActive {
            _ = try? channel.exchange(chunk)
        }
        #expect(!channel.isActive)
    }

    @Test(
        "every refusal is answered by the server with its status, and closes the connection",
        arguments: [
            ("THIS IS NOT HTTP\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            ("GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\nHost: a\r\n\r\n", 414),
            ("GET / HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
            ("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "v", count: 8200))\r\n\r\n", 431),
            ("DESCRIBE / RTSP/1.0\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
            ("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ])
    func refusals(request: String, status: Int) throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange(request)
        #expect(Self.statuses(output) == [status])
        #expect(output.contains("Connection: close"))
        #expect(!channel.isActive)
        #expect(self.application.events.isEmpty)
    }

    @Test("a refusal after a served request is answered after it, in order")
    func refusalAfterServed() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange(Self.get + "BAD REQUEST\r\n\r\n")
        #expect(Self.statuses(output) == [200, 400])
        #expect(!channel.isActive)
    }

    @Test("a malformed chunk while the application reads: 400 from the server, and the read fails with BAD_BODY")
    func malformedChunkWhileReading() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        let output = try channel.exchange("zz\r\n")
        #expect(Self.statuses(output) == [400])
        #expect(self.application.events.contains("read failed \(SSGI_E_BAD_BODY)"))
        #expect(!channel.isActive)
    }

    @Test("a head not complete within the header timeout is answered 408, and the connection closed")
    func headerTimeout() throws {
        let channel = try ConnectionTestChannel.make { $0.headerTimeout = .seconds(10) }
        #expect(try channel.exchange("GET / HTTP/1.1\r\nHost: loc").isEmpty)
        #expect(channel.advance(by: .seconds(9)).isEmpty)
        #expect(channel.isActive)
        #expect(Self.statuses(channel.advance(by: .seconds(1))) == [408])
        #expect(!channel.isActive)
    }

    @Test("a new connection that sends nothing is closed silently after the header timeout")
    func silentConnection() throws {
        let channel = try ConnectionTestChannel.make { $0.headerTimeout = .seconds(10) }
        #expect(channel.advance(by: .seconds(10)).isEmpty)
        #expect(!channel.isActive)
    }

    @Test("a kept-alive connection is closed silently after the keep-alive timeout")
    func keepAliveTimeout() throws {
        let channel = try ConnectionTestChannel.make { $0.keepAliveTimeout = .seconds(2) }
        _ = try channel.exchange(Self.get)
        #expect(channel.advance(by: .seconds(1)).isEmpty)
        #expect(channel.isActive)
        #expect(channel.advance(by: .seconds(1)).isEmpty)
        #expect(!channel.isActive)
    }

    @Test("a head that starts during the keep-alive wait gets the header timeout from its first byte")
    func headAfterKeepAlive() throws {
        let channel = try ConnectionTestChannel.make {
            $0.keepAliveTimeout = .seconds(2)
            $0.headerTimeout = .seconds(20)
        }
        _ = try channel.exchange(Self.get)
        _ = channel.advance(by: .seconds(1))
        _ = try channel.exchange("GET /hello HTTP/1.1\r\nHo")
        #expect(channel.advance(by: .seconds(5)).isEmpty)
        #expect(channel.isActive)
        #expect(Self.statuses(try channel.exchange("st: a\r\n\r\n")) == [200])
    }

    @Test("a body slower than the minimum rate is answered 408, and the application's read fails with BAD_BODY")
    func slowBody() throws {
        let channel = try ConnectionTestChannel.make { $0.minBodyRate = 1000 }
        _ = try channel.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n0123456789")
        #expect(channel.advance(by: .seconds(4)).isEmpty)
        #expect(Self.statuses(channel.advance(by: .seconds(2))) == [408])
        #expect(!channel.isActive)
        #expect(self.application.events.contains("read failed \(SSGI_E_BAD_BODY)"))
    }

    @Test("a client that reads nothing of a response for the send timeout is cut off, and the writes fail")
    func sendTimeout() throws {
        let channel = try ConnectionTestChannel.make { $0.sendTimeout = .seconds(3) }
        _ = try channel.exchange("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(channel.isActive)
        _ = channel.advance(by: .seconds(3))
        #expect(!channel.isActive)
        self.application.writeToHeld("more")
        #expect(self.application.events.contains("write refused \(SSGI_E_DISCONNECTED)"))
        self.application.release()
        #expect(self.application.events.last == "cleanup \(SSGI_E_DISCONNECTED)")
    }

    @Test("a client that goes away mid-body: the application's read fails with DISCONNECTED")
    func disconnectMidBody() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234")
        _ = try channel.close().wait()
        channel.embeddedEventLoop.run()
        #expect(self.application.events.contains("read failed \(SSGI_E_DISCONNECTED)"))
    }

    @Test("a client that goes away mid-response: later writes fail, and the cleanup is told it was not delivered")
    func disconnectMidResponse() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange("GET /hold-sent HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(output.hasSuffix("\r\n\r\nheld\n"))
        _ = try channel.close().wait()
        channel.embeddedEventLoop.run()
        self.application.writeToHeld("more")
        #expect(self.application.events.contains("write refused \(SSGI_E_DISCONNECTED)"))
        self.application.release()
        #expect(self.application.events.last == "cleanup \(SSGI_E_DISCONNECTED)")
    }

    @Test("a client that half-closes mid-body gets a 400 with Connection: close, and the read fails with BAD_BODY")
    func halfCloseMidBody() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234")
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        let output = channel.output()
        #expect(Self.statuses(output) == [400])
        #expect(output.contains("\r\nConnection: close\r\n"))
        #expect(self.application.events.contains("read 5"))
        #expect(self.application.events.contains("read failed \(SSGI_E_BAD_BODY)"))
        #expect(!channel.isActive)
    }

    @Test("a client that half-closes after pipelined requests gets every response, then the connection closes")
    func halfCloseAfterPipelinedRequests() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n" + Self.get)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        #expect(channel.isActive)
        self.application.release(writing: "done\n")
        channel.embeddedEventLoop.run()
        let output = channel.output()
        #expect(Self.statuses(output) == [200, 200])
        #expect(output.hasSuffix("hello\n"))
        #expect(output.contains("done\n"))
        // The last response is the one after which the server closes, and it says so.
        #expect(output.components(separatedBy: "Connection: close").count == 2)
        #expect(!channel.isActive)
    }

    @Test("a half-close on an idle connection closes it")
    func halfCloseWhenIdle() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange(Self.get)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    @Test(
        "a response sent before an unread body the server will not drain says Connection: close, and one it drains does not",
        arguments: [
            ("Content-Length: 3145728\r\n\r\nabc", true), ("Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", true),
            ("Content-Length: 1000\r\n\r\nabc", false),
        ])
    func connectionCloseBeforeUndrainedBody(framing: String, closes: Bool) throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange("POST /ignore HTTP/1.1\r\nHost: a\r\n" + framing)
        #expect(Self.statuses(output) == [200])
        #expect(output.contains("\r\nConnection: close\r\n") == closes)
        #expect(channel.isActive == !closes)
    }

    @Test("an application that fails before its response gets the client a generic 500 and a closed connection")
    func failure() throws {
        let channel = try ConnectionTestChannel.make()
        let output = try channel.exchange("GET /fail HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Self.statuses(output) == [500])
        #expect(!channel.isActive)
    }

    @Test("a graceful stop closes an idle connection once it stays quiet")
    func stopWhenIdle() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange(Self.get)
        channel.pipeline.fireUserInboundEventTriggered(HTTP1ConnectionHandler.CloseWhenIdle())
        #expect(channel.isActive)
        _ = channel.advance(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test("a graceful stop during a request lets it finish with Connection: close, then closes")
    func stopDuringRequest() throws {
        let channel = try ConnectionTestChannel.make()
        _ = try channel.exchange("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n")
        channel.pipeline.fireUserInboundEventTriggered(HTTP1ConnectionHandler.CloseWhenIdle())
        self.application.release(writing: "done\n")
        channel.embeddedEventLoop.run()
        let output = channel.output()
        #expect(output.contains("done\n"))
        #expect(!channel.isActive)
    }
}
