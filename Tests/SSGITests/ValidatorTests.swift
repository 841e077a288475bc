import SwiftServeTesting
import Testing

@testable import SSGI

/// The validator catches each rule an application or server can break, and passes legal ones.
@Suite("Validator")
struct ValidatorTests {
    private func run(_ application: @escaping AsyncApplication, environ: Environ = Environ()) async throws
        -> CapturedResponse
    {
        try await callApplication(Validator.wrap(application), environ)
    }

    private func expectViolation(
        _ rule: ValidationError.Rule, environ: Environ = Environ(), _ application: @escaping AsyncApplication
    ) async {
        do {
            _ = try await self.run(application, environ: environ)
            Issue.record("expected a violation of \(rule.rawValue)")
        } catch let error as ValidationError {
            #expect(error.rule == rule, "\(error)")
            #expect(error.description.hasPrefix("SSGI validation failed [\(rule.rawValue)]"))
        } catch {
            Issue.record("expected a ValidationError, got \(error)")
        }
    }

    @Test("a legal application passes unchanged")
    func legal() async throws {
        let response = try await self.run { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
            return ["hello"]
        }
        #expect(response.text == "hello")
    }

    @Test("a legal streamed body passes unchanged")
    func legalStream() async throws {
        let response = try await self.run { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return .stream { writer in
                try await writer.write("a")
                try await writer.write("b")
            }
        }
        #expect(response.text == "ab")
    }

    @Test("a status that is not \"NNN Reason\"", arguments: ["OK", "200", "20 OK", "200\nOK"])
    func status(status: String) async {
        await self.expectViolation(.status) { _, startResponse in
            startResponse(status, [("Content-Type", "text/plain")])
            return ["x"]
        }
    }

    @Test("a header name that is not a token")
    func headerName() async {
        await self.expectViolation(.headerName) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Bad Name", "x")])
            return ["x"]
        }
    }

    @Test("a header value with a control character")
    func headerValue() async {
        await self.expectViolation(.headerValue) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), ("X-A", "a\r\nX-Injected: 1")])
            return ["x"]
        }
    }

    @Test("a hop-by-hop header", arguments: ["Connection", "transfer-encoding", "Keep-Alive", "Upgrade"])
    func hopByHop(name: String) async {
        await self.expectViolation(.hopByHop) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), (name, "x")])
            return ["x"]
        }
    }

    @Test("start_response called twice without error info")
    func twice() async {
        await self.expectViolation(.startResponseOnce) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain")])
            startResponse("500 Oops", [("Content-Type", "text/plain")])
            return ["x"]
        }
    }

    @Test("start_response replaced with error info before output is allowed")
    func replacement() async throws {
        struct Failure: Error {}
        let response = try await self.run { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain")])
            startResponse("500 Internal Server Error", [("Content-Type", "text/plain")], errorInfo: Failure())
            return ["failed"]
        }
        #expect(response.status == "500 Internal Server Error")
    }

    @Test("start_response with error info after output")
    func replacementAfterOutput() async {
        struct Failure: Error {}
        await self.expectViolation(.errorInfoAfterOutput) { _, startResponse in
            let write = startResponse("200 OK", [("Content-Type", "text/plain")])
            try await write.write("sent")
            startResponse("500 Internal Server Error", [("Content-Type", "text/plain")], errorInfo: Failure())
            return []
        }
    }

    @Test("a response that may have a body needs a Content-Type")
    func missingContentType() async {
        await self.expectViolation(.contentType) { _, startResponse in
            startResponse("200 OK", [])
            return ["x"]
        }
    }

    @Test("204 and 304 need no Content-Type, and must not have one", arguments: ["204 No Content", "304 Not Modified"])
    func noContent(status: String) async throws {
        let response = try await self.run { _, startResponse in
            startResponse(status, [])
            return .empty
        }
        #expect(response.status == status)
        await self.expectViolation(.contentType) { _, startResponse in
            startResponse(status, [("Content-Type", "text/plain")])
            return .empty
        }
    }

    @Test("a 204 response with a body")
    func bodyOn204() async {
        await self.expectViolation(.bodyNotAllowed) { _, startResponse in
            startResponse("204 No Content", [])
            return ["not allowed"]
        }
    }

    @Test(
        "a Content-Length on a 1xx or 204, or two that disagree, is a Content-Length violation",
        arguments: [
            ("204 No Content", [("Content-Length", "0")]), ("100 Continue", [("Content-Length", "0")]),
            ("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "1"), ("content-length", "2")]),
        ])
    func contentLengthNotAllowed(status: String, headers: [HTTPHeader]) async {
        await self.expectViolation(.contentLength) { _, startResponse in
            startResponse(status, headers)
            return []
        }
    }

    @Test("a body returned without start_response")
    func bodyBeforeStart() async {
        await self.expectViolation(.bodyBeforeStartResponse) { _, _ in ["x"] }
    }

    @Test("fewer body bytes than the declared Content-Length")
    func shortBody() async {
        await self.expectViolation(.contentLength) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
            return ["12345"]
        }
    }

    @Test("the answer to HEAD may send fewer bytes than its Content-Length, but not more")
    func headBody() async throws {
        let head = Environ(requestMethod: "HEAD")
        let response = try await self.run(
            { _, startResponse in
                startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
                return []
            }, environ: head)
        #expect(response.header("Content-Length") == "10")
        await self.expectViolation(.contentLength, environ: head) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return ["too long"]
        }
    }

    @Test("more streamed body bytes than the declared Content-Length")
    func longStream() async {
        await self.expectViolation(.contentLength) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return .stream { writer in try await writer.write("too long") }
        }
    }

    @Test(
        "an environ that breaks the specification",
        arguments: [
            Environ(requestMethod: "GE T"), Environ(scriptName: "app/"), Environ(pathInfo: "no-slash"),
            Environ(scriptName: "", pathInfo: ""), Environ(serverName: ""), Environ(serverPort: "eighty"),
            Environ(serverProtocol: "HTTP/3"), Environ(contentLength: "-1"), Environ(urlScheme: "ftp"),
            Environ(headers: [("Content_Length", "5")]),
        ])
    func environ(environ: Environ) async {
        await self.expectViolation(.environ, environ: environ) { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["x"]
        }
    }

    @Test("a response whose cleanup is never called is reported on ssgi.errors")
    func cleanupWitness() async throws {
        let reports = Locked<[String]>([])
        let errors = ErrorStream { message in reports.withLock { $0.append(message) } }
        let application = Validator.wrap { _, startResponse in
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["x"]
        }
        do {
            // Released without running its cleanup, as a server that forgot it would.
            _ = try await application(
                Environ(errors: errors),
                StartResponse { _, _, _ in
                    ResponseWriter(write: { _ in }, writeBlocking: { _ in })
                })
        }
        #expect(reports.value.contains { $0.contains("[cleanup]") })
        _ = try await callApplication(application, Environ(errors: errors))
        #expect(reports.value.count == 1, "callApplication runs the cleanup, so nothing more is reported")
    }
}
