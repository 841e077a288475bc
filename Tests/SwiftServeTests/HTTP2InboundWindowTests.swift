import Testing

@testable import SwiftServe

/// The receive window of an HTTP/2 stream: reopened once half spent, never for bytes held back.
@Suite("HTTP2InboundWindow")
struct HTTP2InboundWindowTests {
    @Test("nothing to open before the window is known, or while it is above half the target")
    func aboveHalf() {
        var window = HTTP2InboundWindow(target: 1000)
        #expect(window.released(0) == nil)
        #expect(window.changed(to: 1000) == nil)
        #expect(window.changed(to: 501) == nil)
    }

    @Test("opened back to the target once half or more is spent")
    func halfSpent() {
        var window = HTTP2InboundWindow(target: 1000)
        #expect(window.changed(to: 500) == 500)
        #expect(window.changed(to: 0) == 1000)
    }

    @Test("bytes held back keep the window closed until the application takes them")
    func heldBytes() {
        var window = HTTP2InboundWindow(target: 1000)
        window.held(800)
        #expect(window.changed(to: 200) == nil)
        #expect(window.released(300) == nil)
        #expect(window.released(500) == 800)
        #expect(window.heldBytes == 0)
    }

    @Test("a window the client's settings made negative is opened by its deficit and the target")
    func negative() {
        var window = HTTP2InboundWindow(target: 1000)
        #expect(window.changed(to: -200) == 1200)
    }
}
