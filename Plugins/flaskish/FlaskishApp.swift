import Flaskish

/// The example Flaskish application, `libflaskish.so:app`.
///
/// Routes:
/// - `GET /hello`: `Hello world from Flaskish!` as `text/plain; charset=utf-8`.
/// - `GET /users/<int:id>`: the user as JSON, `{"id":7,"name":"user 7"}`.
/// - `GET /users/<name>`: a greeting for a name that is not a number, as text.
/// - `GET /files/<path:path>`: the rest of the path, slashes included, as JSON.
/// - `GET /search?q=...&tag=...`: the query arguments, repeated tags kept, as JSON.
/// - `POST /form`: the fields of an urlencoded form echoed as JSON; any other method is a 405.
/// - `POST /greetings`: a JSON body `{"name": "..."}` answered 201 with a greeting as JSON;
///   another Content-Type is a 415, a body of the wrong shape a 400.
/// - `GET /old-hello`: a 302 redirect to `/hello`, built from its endpoint.
/// - `GET /forbidden`: `abort(403)`, answered by Werkzeug's 403 page.
/// - `GET /boom`: a view that throws: a generic 500, with the error in the server's log.
/// - Any other path: 404 with a JSON body from the custom 404 handler.
///
/// It is exported with `Flask.Execution.inline`: every view here computes its answer from the
/// request and memory, never waiting for anything, so the requests without a body (every GET) are
/// answered at once on the server's I/O thread, without a task. The two POST routes read their
/// body with asynchronous reads, on Swift concurrency. An application whose views call a database
/// or read files keeps the default, `.concurrent`, and awaits them.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exampleApplication().export(execution: .inline)
}

/// A JSON request body the `/greetings` route decodes.
struct GreetingRequest: Decodable {
    let name: String
}

/// What the `/greetings` route answers, encoded as JSON.
struct Greeting: Encodable, ResponseConvertible {
    let greeting: String
}

/// The error the `/boom` route throws.
struct ExampleFailure: Error {}

/// Builds the example application: the routes above, and a 404 handler answering JSON.
func exampleApplication() -> Flask {
    var app = Flask("flaskish")

    app.get("/hello", endpoint: "hello") { _ in
        text("Hello world from Flaskish!\n")
    }

    app.get("/users/<int:id>") { request in
        let id: Int = try request.viewArg("id")
        return try jsonify(["id": id, "name": "user \(id)"])
    }

    app.get("/users/<name>") { request in
        let name: String = try request.viewArg("name")
        return text("Hello, \(name)!\n")
    }

    app.get("/files/<path:path>") { request in
        try jsonify(["path": try request.viewArg("path", as: String.self)])
    }

    app.get("/search") { request in
        try jsonify(["q": request.args["q"] ?? "", "tags": request.args.all("tag")])
    }

    app.post("/form") { request in
        try jsonify(request.form.dictionary)
    }

    app.post("/greetings") { request in
        let body = try request.json(as: GreetingRequest.self)
        return try makeResponse(Greeting(greeting: "Hello, \(body.name)!"), .created)
    }

    app.get("/old-hello") { request in
        redirect(to: try request.url(for: "hello"))
    }

    app.get("/forbidden") { _ in
        try abort(.forbidden)
    }

    app.get("/boom") { _ -> Response in
        throw ExampleFailure()
    }

    app.errorHandler(404) { request, error in
        try jsonify(["error": error.status.reasonPhrase, "path": request.path], status: error.status)
    }

    return app
}
