import Hummingbird
import NIOCore
import SSGIHummingbird

/// The routes of the example application: plain Hummingbird, with `SSGIRequestContext` as context.
enum ExampleRouter {
    /// An error that is not an `HTTPResponseError`, for the route that shows how one is answered.
    struct Unexpected: Error {}

    static func make() -> Router<SSGIRequestContext> {
        let router = Router(context: SSGIRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: ServedByMiddleware())

        router.get("hello") { _, _ in
            "Hello world from Hummingbird!\n"
        }

        router.get("users/:id") { _, context -> User in
            let id = try context.parameters.require("id", as: Int.self)
            return User(id: id, name: "user \(id)")
        }

        router.post("users") { request, context -> EditedResponse<User> in
            let user = try await request.decode(as: User.self, context: context)
            return EditedResponse(status: .created, response: user)
        }

        // Streams the request body back as it arrives, one buffer at a time.
        router.post("echo") { request, _ -> Response in
            let contentType = request.headers[.contentType] ?? "application/octet-stream"
            return Response(
                status: .ok, headers: [.contentType: contentType], body: ResponseBody(asyncSequence: request.body))
        }

        // Counts the request body's bytes without keeping them.
        router.post("count") { request, _ -> String in
            var count = 0
            for try await buffer in request.body {
                count += buffer.readableBytes
            }
            return "\(count)\n"
        }

        // A response body written while it is sent, with no length known in advance.
        router.get("countdown") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: ResponseBody { writer in
                    for line in ["3\n", "2\n", "1\n", "liftoff\n"] {
                        try await writer.write(ByteBuffer(string: line))
                    }
                    try await writer.finish(nil)
                })
        }

        // What Hummingbird saw of the request.
        router.get("request") { request, context -> RequestSummary in
            RequestSummary(
                method: request.method.rawValue,
                scheme: request.head.scheme,
                authority: request.head.authority,
                path: request.uri.path,
                query: request.uri.query,
                greeting: request.uri.queryParameters["greeting"].map(String.init),
                hasHostField: request.headers.contains { $0.name.canonicalName == "host" },
                remoteAddress: context.remoteAddress?.ipAddress)
        }

        router.get("gone") { _, _ -> HTTPResponse.Status in
            .noContent
        }

        router.get("bad") { _, _ -> String in
            throw HTTPError(.badRequest, message: "this route always refuses")
        }

        router.get("crash") { _, _ -> String in
            throw Unexpected()
        }

        return router
    }
}
