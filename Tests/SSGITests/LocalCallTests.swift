import SwiftServeTesting
import Testing

@testable import SSGI

/// Calling an application in-process, as framework tests and middleware do.
@Suite("callApplication")
struct LocalCallTests {
    @Test("collects the status, the headers, written bytes and the returned body in order")
    func collectsEverything() async throws {
        let application: AsyncApplication = { environ, startResponse in
            let write = startResponse("201 Created", [("Content-Type", "text/plain"), ("X-Path", environ.pathInfo)])
            try await write.write("written, ")
            return ["returned, ", BodyChunk([0x21])]
        }
        let response = try await callApplication(application, Environ(pathInfo: "/thing"))
        #expect(response.status == "201 Created")
        #expect(response.statusCode == 201)
        #expect(response.header("x-path") == "/thing")
        #expect(response.text == "written, returned, !")
    }

    @Test("runs a streamed body to its end and then its cleanup")
    func streamsAndCleansUp() async throws {
        let cleaned = Locked<Bool?>(nil)
        let application: AsyncApplication = { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ResponseBody.stream { writer in
                for index in 0..<3 { try await writer.write("\(index)") }
            }.onCleanup { delivered in cleaned.withLock { $0 = delivered } }
        }
        let response = try await callApplication(application, Environ())
        #expect(response.text == "012")
        #expect(cleaned.value == true)
    }

    @Test("a synchronous application reads its in-memory body")
    func synchronousApplication() async throws {
        let application: SyncApplication = { environ, startResponse in
            let body: [UInt8] = try environ.input.readAll()
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return .bytes(body.reversed())
        }
        let response = try await callApplication(application, Environ(input: RequestInput(bytes: Array("abc".utf8))))
        #expect(response.text == "cba")
    }

    @Test("an application that never calls startResponse is an error")
    func missingStartResponse() async {
        let application: AsyncApplication = { _, _ in ["body"] }
        await #expect(throws: SSGIError.self) { try await callApplication(application, Environ()) }
    }

    @Test("what the application throws reaches the caller")
    func throwsThrough() async {
        struct Boom: Error {}
        let application: AsyncApplication = { _, _ in throw Boom() }
        await #expect(throws: Boom.self) { try await callApplication(application, Environ()) }
    }
}
