import Glibc
import Testing

@testable import SwiftServe

/// The statuses `waitpid` gives, in the log's words.
@Suite("ProcessExit")
struct ProcessExitTests {
    @Test("an exit status is decoded from the second byte")
    func exited() {
        #expect(ProcessExit(waitStatus: 0) == .exited(status: 0))
        #expect(ProcessExit(waitStatus: 4 << 8) == .exited(status: 4))
        #expect(ProcessExit(waitStatus: 4 << 8).description == "exited with status 4")
        #expect(ProcessExit(waitStatus: 0).isSuccess)
        #expect(!ProcessExit(waitStatus: 1 << 8).isSuccess)
    }

    @Test("a signal is named, with the core dump flag")
    func killed() {
        #expect(ProcessExit(waitStatus: SIGKILL) == .killed(signal: SIGKILL, coreDumped: false))
        #expect(ProcessExit(waitStatus: SIGKILL).description == "was killed by SIGKILL")
        #expect(ProcessExit(waitStatus: SIGSEGV | 0x80).description == "was killed by SIGSEGV (core dumped)")
        #expect(ProcessExit(waitStatus: 64).description == "was killed by signal 64")
    }

    @Test("a trap is explained as one in the application")
    func trapHint() {
        #expect(ProcessExit(waitStatus: SIGILL).hint?.hasPrefix("a trap in the application") == true)
        #expect(ProcessExit(waitStatus: SIGTRAP).hint?.hasPrefix("a trap in the application") == true)
        #expect(ProcessExit(waitStatus: SIGKILL).hint == nil)
        #expect(ProcessExit(waitStatus: 1 << 8).hint == nil)
    }
}
