import SSGI

/// Streams the request body back as the response body, chunk by chunk: each chunk is written
/// before the next is read, so a large upload never sits in memory whole.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exportApplication(name: "echo") { environ, startResponse in
        var headers: [HTTPHeader] = [
            ("Content-Type", environ.contentType.isEmpty ? "application/octet-stream" : environ.contentType)
        ]
        if let length = environ.contentLength {
            headers.append(("Content-Length", String(length)))
        }
        startResponse("200 OK", headers)
        return .stream { writer in
            for try await chunk in environ.input {
                try await writer.write(chunk)
            }
        }
    }
}
