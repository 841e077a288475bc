import Djangoish
import Synchronization

/// Builds requests for the tests and runs them through a project as the server would.
enum TestRequests {
    /// What `project` answers to `GET target`, through `callApplication`.
    static func call(
        _ project: Project, _ target: String, headers: [HTTPHeader] = [("Host", "testserver")], scriptName: String = "",
        errors: Recorder? = nil
    ) async throws -> CapturedResponse {
        try await call(project, "GET", target, headers: headers, scriptName: scriptName, errors: errors)
    }

    /// What `project` answers to `method target` with `headers` and `body`, through `callApplication`.
    static func call(
        _ project: Project, _ method: String, _ target: String, headers: [HTTPHeader] = [("Host", "testserver")],
        body: [UInt8] = [], contentType: String = "", scriptName: String = "", errors: Recorder? = nil
    ) async throws -> CapturedResponse {
        try await callApplication(
            project.application,
            environ(
                method, target, headers: headers, body: body, contentType: contentType, scriptName: scriptName,
                errors: errors))
    }

    /// An environ for `GET target`.
    static func environ(_ target: String) -> Environ {
        environ("GET", target)
    }

    /// An environ for `method target`.
    static func environ(
        _ method: String, _ target: String, headers: [HTTPHeader] = [("Host", "testserver")],
        body: [UInt8] = [], contentType: String = "", scriptName: String = "", errors: Recorder? = nil
    ) -> Environ {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let log = errors ?? Recorder()
        return Environ(
            requestMethod: method, scriptName: scriptName, pathInfo: String(parts[0]),
            queryString: parts.count > 1 ? String(parts[1]) : "", contentType: contentType,
            contentLength: body.isEmpty ? "" : String(body.count), headers: headers, input: RequestInput(bytes: body),
            errors: ErrorStream { log.append($0) })
    }
}

/// Collects lines from any thread: what the project writes to `environ.errors`, or a trace.
final class Recorder: Sendable {
    private let messages = Mutex<[String]>([])

    func append(_ message: String) {
        self.messages.withLock { $0.append(message) }
    }

    var lines: [String] { self.messages.withLock { $0 } }

    var text: String { self.lines.joined(separator: "\n") }
}
