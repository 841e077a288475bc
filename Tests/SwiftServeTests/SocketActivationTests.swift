import Testing

@testable import SwiftServe

/// Reading `LISTEN_FDS` and `LISTEN_PID` as `sd_listen_fds(3)` defines them.
@Suite("SocketActivation")
struct SocketActivationTests {
    @Test("no LISTEN_FDS, or 0, passes no sockets")
    func none() throws {
        #expect(try SocketActivation.descriptors(listenFDs: nil, listenPID: nil, processID: 42) == nil)
        #expect(try SocketActivation.descriptors(listenFDs: "0", listenPID: "42", processID: 42) == nil)
    }

    @Test("N sockets are descriptors 3 to 3 + N - 1")
    func range() throws {
        #expect(try SocketActivation.descriptors(listenFDs: "2", listenPID: "42", processID: 42) == 3..<5)
    }

    @Test("a malformed count, a missing or other process id are errors")
    func errors() {
        #expect(throws: SocketActivationError.malformedCount("two")) {
            try SocketActivation.descriptors(listenFDs: "two", listenPID: "42", processID: 42)
        }
        #expect(throws: SocketActivationError.malformedCount("-1")) {
            try SocketActivation.descriptors(listenFDs: "-1", listenPID: "42", processID: 42)
        }
        #expect(throws: SocketActivationError.missingProcessID) {
            try SocketActivation.descriptors(listenFDs: "1", listenPID: nil, processID: 42)
        }
        #expect(throws: SocketActivationError.otherProcess(listenPID: "41", processID: 42)) {
            try SocketActivation.descriptors(listenFDs: "1", listenPID: "41", processID: 42)
        }
    }
}
