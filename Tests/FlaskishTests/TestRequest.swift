import Flaskish
import SwiftServeTesting

/// Calls `app` in-process, through the SDK's validator, with a request for `target` (a path with
/// an optional query string); messages the application writes to `ssgi.errors` go to `errors`.
func call(
    _ app: Flask, _ method: String = "GET", _ target: String, headers: [HTTPHeader] = [], body: String? = nil,
    contentType: String = "", scriptName: String = "", errors: Locked<[String]> = Locked([])
) async throws -> CapturedResponse {
    let environ = testEnviron(
        method, target, headers: headers, body: body, contentType: contentType, scriptName: scriptName, errors: errors)
    return try await callApplication(Validator.wrap(app.application), environ)
}

/// Calls `app` with a GET (or another method without a body) for `target`.
func call(
    _ app: Flask, _ target: String, headers: [HTTPHeader] = [], scriptName: String = "",
    errors: Locked<[String]> = Locked([])
) async throws -> CapturedResponse {
    try await call(app, "GET", target, headers: headers, scriptName: scriptName, errors: errors)
}

/// The environ of a request for `target`, as `call` sends it.
func testEnviron(
    _ method: String, _ target: String, headers: [HTTPHeader] = [], body: String? = nil, contentType: String = "",
    scriptName: String = "", errors: Locked<[String]> = Locked([])
) -> Environ {
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    return Environ(
        requestMethod: method, scriptName: scriptName, pathInfo: PercentEncoding.decode(parts[0], plusAsSpace: false),
        queryString: parts.count > 1 ? String(parts[1]) : "", contentType: contentType,
        contentLength: body.map { String($0.utf8.count) } ?? "", headers: [("Host", "example.com")] + headers,
        input: RequestInput(bytes: Array((body ?? "").utf8)),
        errors: ErrorStream { message in errors.withLock { $0.append(message) } })
}
