import SwiftServeTesting
import Testing

/// `wsgi.errors` (PEP 3333): write, writelines and flush go to the server's error log, one
/// message per line, tagged with the request.
@Suite("wsgi.errors")
struct ErrorStreamTests {
    @Test("each line is one message of the server's log, tagged with the request; flush logs a partial line")
    func lines() throws {
        let server = try PythonServer.start("pep3333:app")
        defer { server.stop() }
        #expect(try server.request("GET", "/errors").bodyText == "logged\n")
        for line in [
            "errors: a whole line", "errors: a line in two writes", "errors: from writelines 1",
            "errors: from writelines 2", "errors: flushed without a newline", "errors: printed",
        ] {
            #expect(PythonServer.waitForLog(server, line), "\(server.log)")
        }
        let tagged = server.log.split(separator: "\n").filter { $0.contains("errors: a whole line") }
        #expect(tagged.count == 1)
        #expect(tagged.first?.contains("127.0.0.1") == true, "\(tagged)")
    }
}
