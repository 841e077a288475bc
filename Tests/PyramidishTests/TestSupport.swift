import Pyramidish
import SSGI
import Synchronization

/// Collects what an application writes to `ssgi.errors`.
final class ErrorLog: Sendable {
    private let messages = Mutex<[String]>([])

    var stream: ErrorStream {
        ErrorStream { message in self.messages.withLock { $0.append(message) } }
    }

    var all: [String] { self.messages.withLock { $0 } }
}

/// An in-memory environ for a `method` request to `path`, which may hold a query string after `?`.
func makeEnviron(
    _ method: String, _ path: String, body: String? = nil, contentType: String = "", headers: [HTTPHeader] = [],
    scriptName: String = "", serverName: String = "localhost", serverPort: String = "80", urlScheme: String = "http",
    errors: ErrorLog = ErrorLog()
) -> Environ {
    let pathInfo = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    return Environ(
        requestMethod: method, scriptName: scriptName, pathInfo: String(pathInfo[0]),
        queryString: pathInfo.count > 1 ? String(pathInfo[1]) : "", contentType: contentType,
        contentLength: body.map { String($0.utf8.count) } ?? "", serverName: serverName, serverPort: serverPort,
        urlScheme: urlScheme, headers: headers, input: RequestInput(bytes: Array((body ?? "").utf8)),
        errors: errors.stream)
}

/// An in-memory environ for a GET request to `path`.
func makeEnviron(
    _ path: String, headers: [HTTPHeader] = [], scriptName: String = "", serverName: String = "localhost",
    serverPort: String = "80", urlScheme: String = "http"
) -> Environ {
    makeEnviron(
        "GET", path, headers: headers, scriptName: scriptName, serverName: serverName, serverPort: serverPort,
        urlScheme: urlScheme)
}

/// Calls `app` with a `method` request for `path`.
func call(
    _ app: AsyncApplication, _ method: String, _ path: String, body: String? = nil, contentType: String = "",
    headers: [HTTPHeader] = [], errors: ErrorLog = ErrorLog()
) async throws -> CapturedResponse {
    try await callApplication(
        app, makeEnviron(method, path, body: body, contentType: contentType, headers: headers, errors: errors))
}

/// Calls `app` with a GET request for `path`.
func call(
    _ app: AsyncApplication, _ path: String, headers: [HTTPHeader] = [], errors: ErrorLog = ErrorLog()
) async throws -> CapturedResponse {
    try await call(app, "GET", path, headers: headers, errors: errors)
}

/// An application with one route and one view answering GET.
func makeApp(
    _ pattern: String, _ view: @escaping @Sendable (Request) async throws -> Response
) throws -> AsyncApplication {
    var config = Configurator()
    config.addRoute("only", pattern)
    config.addView(view, routeName: "only", requestMethod: "GET")
    return try config.makeApp()
}

/// A view that answers with the matchdict, sorted, as `key=value` lines.
@Sendable func echoMatchdict(_ request: Request) -> Response {
    Response(request.matchdict.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined())
}
