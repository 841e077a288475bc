import Synchronization

/// Checks an application and its server against the SSGI specification, as Python's
/// `wsgiref.validate` does for WSGI: wrap an application in it during development and every
/// request is checked on both sides.
///
/// A rule the server broke (an incomplete environ) or the application broke (a malformed status,
/// a hop-by-hop header, a second `startResponse`, a missing Content-Type, a body that does not
/// match its Content-Length, ...) fails the request with a `ValidationError` naming the rule, so
/// the client gets a 500 and the log says why. A cleanup the server never calls is reported on
/// `ssgi.errors` when the response is released.
public enum Validator {
    /// `application`, checked on every request.
    public static func wrap(_ application: @escaping AsyncApplication) -> AsyncApplication {
        { environ, startResponse in
            try checkEnviron(environ)
            let response = ValidatedResponse(
                startResponse: startResponse, answersHead: environ.requestMethod == "HEAD")
            let body: ResponseBody
            do {
                body = try await application(environ, response.startResponse)
            } catch {
                // A violation the application caused in startResponse matters more than what it threw after.
                try response.throwIfViolated()
                throw error
            }
            try response.throwIfViolated()
            guard response.isStarted else {
                throw ValidationError(
                    .bodyBeforeStartResponse, "the application returned its body without calling startResponse")
            }
            return try response.validated(body, errors: environ.errors)
        }
    }

    /// The versions an application built with this SDK may be served under: 1.0 up to its own.
    static let knownVersions = (0...ServerInfo().abiMinor).map { "\(ServerInfo().abiMajor).\($0)" }

    /// The server's side at startup (SPEC §4, §4.1): it speaks this major version, names itself,
    /// and from 1.1 on gives the arguments with the application reference `PATH:CALLABLE` first.
    public static func checkServerInfo(_ info: ServerInfo) throws(ValidationError) {
        guard info.abiMajor == ServerInfo().abiMajor else {
            throw ValidationError(.serverInfo, "the server speaks SSGI \(info.abiMajor).\(info.abiMinor)")
        }
        guard !info.serverSoftware.isEmpty else { throw ValidationError(.serverInfo, "server_software is empty") }
        guard info.abiMinor >= 1 else { return }
        guard let reference = info.arguments.first else {
            throw ValidationError(.serverInfo, "arguments is empty: arguments[0] must be the application reference")
        }
        let callable = reference.split(separator: ":", omittingEmptySubsequences: false).last ?? ""
        guard reference.contains(":"), !reference.hasPrefix(":"), ServerInfo.isCallableName(callable.utf8) else {
            throw ValidationError(
                .serverInfo, "arguments[0] '\(reference)' is not an application reference PATH:CALLABLE")
        }
    }

    /// The server's side: the environ has every key, each with a legal value.
    static func checkEnviron(_ environ: Environ) throws(ValidationError) {
        func require(_ condition: Bool, _ detail: @autoclosure () -> String) throws(ValidationError) {
            if !condition { throw ValidationError(.environ, detail()) }
        }
        try require(
            ResponseRules.isHeaderName(environ.requestMethod.utf8),
            "REQUEST_METHOD '\(environ.requestMethod)' is not a token")
        try require(
            environ.scriptName.isEmpty || (environ.scriptName.hasPrefix("/") && !environ.scriptName.hasSuffix("/")),
            "SCRIPT_NAME '\(environ.scriptName)' must be empty or start, and not end, with '/'")
        try require(
            environ.pathInfo.isEmpty || environ.pathInfo.hasPrefix("/"),
            "PATH_INFO '\(environ.pathInfo)' must be empty or start with '/'")
        try require(
            !(environ.scriptName.isEmpty && environ.pathInfo.isEmpty), "SCRIPT_NAME and PATH_INFO are both empty")
        try require(!environ.serverName.isEmpty, "SERVER_NAME is empty")
        try require(
            environ.serverPort.allSatisfy(\.isASCIIDigit), "SERVER_PORT '\(environ.serverPort)' is not a number")
        try require(
            ["HTTP/1.0", "HTTP/1.1", "HTTP/2"].contains(environ.serverProtocol),
            "SERVER_PROTOCOL '\(environ.serverProtocol)' is not HTTP/1.0, HTTP/1.1 or HTTP/2")
        try require(
            environ.contentLengthValue.allSatisfy(\.isASCIIDigit),
            "CONTENT_LENGTH '\(environ.contentLengthValue)' is not a number")
        try require(
            knownVersions.contains(environ.version),
            "ssgi.version is '\(environ.version)', not one of \(knownVersions.joined(separator: ", "))")
        try require(
            ["http", "https"].contains(environ.urlScheme), "ssgi.url_scheme '\(environ.urlScheme)' is not http or https"
        )
        for header in environ.headers {
            try require(!header.name.contains("_"), "header '\(header.name)' contains '_' and must have been dropped")
        }
    }
}

/// A rule of the specification broken by the server or the application.
public struct ValidationError: Error, Sendable, CustomStringConvertible {
    /// The rules the validator checks, each named as in the specification.
    public enum Rule: String, Sendable {
        case environ = "environ"
        case serverInfo = "server_info"
        case status = "start_response status"
        case headerName = "start_response header name"
        case headerValue = "start_response header value"
        case hopByHop = "start_response hop-by-hop header"
        case startResponseOnce = "start_response once"
        case errorInfoAfterOutput = "start_response error info after output"
        case contentType = "Content-Type"
        case bodyBeforeStartResponse = "body before start_response"
        case contentLength = "Content-Length"
        case bodyNotAllowed = "no body on 1xx, 204 and 304"
        case cleanup = "cleanup"
    }

    public var rule: Rule
    public var detail: String

    public init(_ rule: Rule, _ detail: String) {
        self.rule = rule
        self.detail = detail
    }

    public var description: String { "SSGI validation failed [\(self.rule.rawValue)]: \(self.detail)" }
}

/// The application's side of one validated request: what it passed to `startResponse` and how
/// many body bytes it sent.
private final class ValidatedResponse: Sendable {
    private struct State {
        var status: Int?
        var declaredLength: Int?
        var sentBytes = 0
        var violation: ValidationError?
    }

    private let state = Mutex(State())
    private let upstream: StartResponse
    /// Whether the request is HEAD, whose body may fall short of its Content-Length (§8.3).
    private let answersHead: Bool

    init(startResponse: StartResponse, answersHead: Bool) {
        self.upstream = startResponse
        self.answersHead = answersHead
    }

    var isStarted: Bool { self.state.withLock { $0.status != nil } }

    /// The `startResponse` the application sees: checks, then forwards to the server's.
    var startResponse: StartResponse {
        StartResponse { status, headers, errorInfo in
            let violation = self.check(status: status, headers: headers, errorInfo: errorInfo)
            self.state.withLock { state in
                if state.violation == nil { state.violation = violation }
            }
            return self.counting(self.upstream(status, headers, errorInfo: errorInfo))
        }
    }

    /// A writer that counts and checks each chunk before handing it to `writer`.
    private func counting(_ writer: ResponseWriter) -> ResponseWriter {
        ResponseWriter(
            write: { bytes in
                try self.count(bytes)
                try await writer.write(bytes)
            },
            writeBlocking: { bytes in
                try self.count(bytes)
                try writer.write(bytes)
            })
    }

    func throwIfViolated() throws(ValidationError) {
        if let violation = self.state.withLock({ $0.violation }) { throw violation }
    }

    /// The body, counted as it is sent, with its Content-Length checked at the end and a witness
    /// that reports a server that never calls cleanup.
    func validated(_ body: ResponseBody, errors: ErrorStream) throws(ValidationError) -> ResponseBody {
        let witness = CleanupWitness(errors: errors)
        let counted: ResponseBody
        switch body.storage {
        case .chunks(let chunks):
            for chunk in chunks {
                try self.count(chunk.bytes)
            }
            try self.checkLength()
            counted = ResponseBody(chunks: chunks)
        case .stream(let produce):
            counted = ResponseBody.stream { writer in
                try await produce(self.counting(writer))
                try self.checkLength()
            }
        }
        return counted.onCleanup { delivered in
            witness.called()
            body.cleanup?(delivered)
        }
    }

    private func count(_ bytes: [UInt8]) throws(ValidationError) {
        try self.state.withLock { state throws(ValidationError) in
            guard let status = state.status else {
                throw ValidationError(
                    .bodyBeforeStartResponse, "\(bytes.count) body bytes written before startResponse")
            }
            state.sentBytes += bytes.count
            if !ResponseRules.allowsBody(status: status), state.sentBytes > 0 {
                throw ValidationError(.bodyNotAllowed, "a \(status) response must not have a body")
            }
            if let declared = state.declaredLength, state.sentBytes > declared {
                throw ValidationError(.contentLength, "more than the declared Content-Length of \(declared) bytes")
            }
        }
    }

    private func checkLength() throws(ValidationError) {
        try self.state.withLock { state throws(ValidationError) in
            if let declared = state.declaredLength, state.sentBytes != declared,
                ResponseRules.allowsBody(status: state.status ?? 200), !(self.answersHead && state.sentBytes < declared)
            {
                throw ValidationError(
                    .contentLength, "\(state.sentBytes) body bytes sent, Content-Length declared \(declared)")
            }
        }
    }

    /// Checks one call to `startResponse` and records it; returns the first rule it breaks.
    private func check(status: String, headers: [HTTPHeader], errorInfo: (any Error)?) -> ValidationError? {
        let previous = self.state.withLock { ($0.status, $0.sentBytes) }
        if previous.0 != nil {
            if errorInfo == nil {
                return ValidationError(.startResponseOnce, "startResponse called again without errorInfo")
            }
            if previous.1 > 0 {
                return ValidationError(.errorInfoAfterOutput, "startResponse with errorInfo after body bytes were sent")
            }
        }
        // What a server refuses, each under the rule it breaks.
        if let violation = ResponseHeadViolation.find(status: status, headers: headers) {
            return ValidationError(violation.rule, violation.description)
        }
        let code = ResponseRules.statusCode(status.utf8) ?? 0
        var contentType: String?
        var declaredLength: Int?
        for (name, value) in headers {
            if ASCII.equalsIgnoringCase(name.utf8, "content-type") { contentType = value }
            if ASCII.equalsIgnoringCase(name.utf8, "content-length") { declaredLength = Int(value) }
        }
        let mayHaveBody = ResponseRules.allowsBody(status: code)
        if mayHaveBody, contentType == nil {
            return ValidationError(.contentType, "a \(code) response needs a Content-Type header")
        }
        if (code == 204 || code == 304), contentType != nil {
            return ValidationError(.contentType, "a \(code) response must not have a Content-Type header")
        }
        self.state.withLock {
            $0.status = code
            $0.declaredLength = declaredLength
        }
        return nil
    }
}

/// Reports, when released, a response whose cleanup the server never called.
private final class CleanupWitness: Sendable {
    private let wasCalled = Atomic(false)
    private let errors: ErrorStream

    init(errors: ErrorStream) {
        self.errors = errors
    }

    func called() {
        self.wasCalled.store(true, ordering: .relaxed)
    }

    deinit {
        if !self.wasCalled.load(ordering: .relaxed) {
            self.errors.write(ValidationError(.cleanup, "the server never called the response's cleanup").description)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}

extension ResponseHeadViolation {
    /// The validator's name for the rule.
    fileprivate var rule: ValidationError.Rule {
        switch self {
        case .status: .status
        case .headerName: .headerName
        case .headerValue: .headerValue
        case .hopByHop: .hopByHop
        case .contentLength, .conflictingContentLengths, .contentLengthNotAllowed: .contentLength
        }
    }
}
