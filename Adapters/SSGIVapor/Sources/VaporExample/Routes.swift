import Vapor

/// The example's routes.
func routes(_ app: Application) throws {
    app.get("hello") { _ in
        "Hello world from Vapor!\n"
    }

    app.get("greet") { request -> String in
        let name = try request.query.get(String.self, at: "name")
        return "Hello, \(name)!\n"
    }

    app.get("users", ":id") { request -> User in
        guard let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.badRequest, reason: "The user id must be an integer.")
        }
        return User(id: id, name: "User \(id)")
    }

    app.delete("users", ":id") { _ -> HTTPStatus in
        .noContent
    }

    // Under Vapor's own server the route's limit applies; under swiftserve the adapter's
    // `maxBodySize` does (see VaporExample.swift), so both say 8 MB.
    app.on(.POST, "echo-length", body: .collect(maxSize: "8mb")) { request -> String in
        String(request.body.data?.readableBytes ?? 0)
    }

    // A streaming route, as written for Vapor's server: it reads the body chunk by chunk and answers
    // its length and FNV-1a hash. Under swiftserve the adapter has collected the body (up to its
    // `maxBodySize`), so the loop sees it as one chunk.
    app.on(.POST, "upload", body: .stream) { request -> UploadDigest in
        var hash = FNV1aHash()
        for try await chunk in request.body {
            hash.add(chunk.readableBytesView)
        }
        return UploadDigest(bytes: hash.count, fnv1a: String(hash.value, radix: 16))
    }

    app.post("json") { request -> Echo in
        let message = try request.content.decode(Message.self)
        let text = String(repeating: message.text, count: max(0, message.repeats))
        return Echo(text: text, characters: text.count)
    }

    app.get("teapot") { _ -> String in
        throw Abort(.imATeapot)
    }

    // Headers that describe the connection, which SSGI leaves to the server: the adapter drops them.
    app.get("hop-by-hop") { _ -> Response in
        let headers: HTTPHeaders = [
            "Connection": "close", "Keep-Alive": "timeout=5", "Trailer": "X-Checksum", "X-Kept": "yes",
            "Content-Type": "text/plain",
        ]
        return Response(status: .ok, headers: headers, body: "hop\n")
    }

    app.get("about") { request -> About in
        About(
            environment: request.application.environment.name,
            arguments: request.application.environment.arguments,
            method: request.method.rawValue,
            url: request.url.string,
            httpVersion: "HTTP/\(request.version.major).\(request.version.minor)",
            remoteAddress: request.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" }
        )
    }

    // A streaming body, written over three quarters of a second. Vapor's server sends each line as it
    // is written; under swiftserve the adapter collects the body and sends it whole.
    app.get("countdown") { _ -> Response in
        let body = Response.Body(managedAsyncStream: { writer in
            for count in (1...3).reversed() {
                try await writer.writeBuffer(ByteBuffer(string: "\(count)\n"))
                try await Task.sleep(for: .milliseconds(250))
            }
            try await writer.writeBuffer(ByteBuffer(string: "liftoff\n"))
        })
        return Response(status: .ok, headers: ["Content-Type": "text/plain"], body: body)
    }

    // A streaming body that takes three seconds to start: HEAD must be answered without running it.
    app.get("slow-stream") { _ -> Response in
        let body = Response.Body(managedAsyncStream: { writer in
            try await Task.sleep(for: .seconds(3))
            try await writer.writeBuffer(ByteBuffer(string: "finally\n"))
        })
        return Response(status: .ok, headers: ["Content-Type": "text/plain"], body: body)
    }

    // The callback style of streaming body, `Response.Body(stream:)`: each write waits for the
    // previous one to be taken. Collected under swiftserve too.
    app.get("lines", ":count") { request -> Response in
        let count = request.parameters.get("count", as: Int.self) ?? 0
        let body = Response.Body(stream: { writer in
            @Sendable func write(_ line: Int) {
                guard line < count else {
                    writer.write(.end, promise: nil)
                    return
                }
                writer.write(.buffer(ByteBuffer(string: "line \(line)\n"))).whenComplete { result in
                    switch result {
                    case .success: write(line + 1)
                    case .failure(let error): writer.write(.error(error), promise: nil)
                    }
                }
            }
            write(0)
        })
        return Response(status: .ok, headers: ["Content-Type": "text/plain"], body: body)
    }
}
