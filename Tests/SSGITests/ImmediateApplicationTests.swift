import CSSGI
import SwiftServeTesting
import Testing

@testable import SSGI

/// An application exported with an immediate part, called through its C descriptor as a server
/// calls it.
@Suite("exportApplication(immediate:)")
struct ImmediateApplicationTests {
    /// Counts the calls each part receives.
    final class Calls: Sendable {
        let immediate = Locked(0)
        let asynchronous = Locked(0)
    }

    /// An application whose immediate part answers requests without a body and hands the others on.
    private static func export(_ calls: Calls) -> UnsafeRawPointer {
        exportApplication(
            name: "immediate",
            immediate: { environ, startResponse in
                calls.immediate.withLock { $0 += 1 }
                guard environ.input.isKnownEmpty else { return nil }
                if environ.pathInfo == "/fail" { throw SSGIError("the immediate part failed") }
                startResponse("200 OK", [("Content-Type", "text/plain")])
                return ["at once \(environ.pathInfo)"]
            },
            { environ, startResponse in
                calls.asynchronous.withLock { $0 += 1 }
                let body = try await environ.input.readAll()
                startResponse("201 Created", [("Content-Type", "text/plain")])
                return ["later \(environ.pathInfo) \(body.count)"]
            })
    }

    @Test("the application is declared SSGI_EXECUTION_CONCURRENT")
    func declaredConcurrent() {
        let descriptor = Self.export(Calls()).assumingMemoryBound(to: ssgi_app.self)
        #expect(descriptor.pointee.execution == UInt32(SSGI_EXECUTION_CONCURRENT))
    }

    @Test("a request the immediate part answers never reaches the asynchronous part")
    func answeredAtOnce() async throws {
        let calls = Calls()
        let application = ForeignApplication(descriptor: Self.export(calls)).application
        let response = try await callApplication(application, Environ(pathInfo: "/hello"))
        #expect(response.status == "200 OK")
        #expect(response.text == "at once /hello")
        #expect(calls.immediate.value == 1)
        #expect(calls.asynchronous.value == 0)
    }

    @Test("a request the immediate part returns nil for is answered by the asynchronous part")
    func handedOn() async throws {
        let calls = Calls()
        let application = ForeignApplication(descriptor: Self.export(calls)).application
        let environ = Environ(
            requestMethod: "POST", pathInfo: "/upload", contentLength: "5",
            input: RequestInput(bytes: Array("hello".utf8)))
        let response = try await callApplication(application, environ)
        #expect(response.status == "201 Created")
        #expect(response.text == "later /upload 5")
        #expect(calls.immediate.value == 1)
        #expect(calls.asynchronous.value == 1)
    }

    @Test("an error the immediate part throws fails the request")
    func immediateFailure() async throws {
        let calls = Calls()
        let application = ForeignApplication(descriptor: Self.export(calls)).application
        await #expect(throws: (any Error).self) {
            try await callApplication(application, Environ(pathInfo: "/fail"))
        }
        #expect(calls.asynchronous.value == 0)
    }
}
