import Pyramidish
import SSGI
import Testing

@Suite("Request")
struct RequestTests {
    @Test("query arguments are percent-decoded, and repeated keys keep every value in order")
    func queryArguments() async throws {
        let app = try makeApp("/search") { request in
            Response(
                "\(request.GET["q"] ?? "-")|\(request.GET.all("tag"))|\(request.GET["tag"] ?? "-")|\(request.GET["none"] ?? "-")"
            )
        }
        let response = try await call(app, "/search?q=caf%C3%A9+au+lait&tag=a&tag=b%26c&flag")
        #expect(response.text == #"café au lait|["a", "b&c"]|b&c|-"#)
    }

    @Test("a urlencoded form body is parsed into POST, and params holds query and form")
    func formBody() async throws {
        var config = Configurator()
        config.addRoute("form", "/form")
        config.addView(routeName: "form", requestMethod: "POST") { request in
            Response(
                "\(request.POST["name"] ?? "-")|\(request.POST.all("x"))|\(request.params["src"] ?? "-")|\(request.params["name"] ?? "-")"
            )
        }
        let app = try config.makeApp()
        let response = try await call(
            app, "POST", "/form?src=query&name=fromquery", body: "name=J%C3%BCrgen+M&x=1&x=2",
            contentType: "application/x-www-form-urlencoded; charset=UTF-8")
        #expect(response.text == #"Jürgen M|["1", "2"]|query|Jürgen M"#)
    }

    @Test("a body that is not a form leaves POST empty and keeps the bytes")
    func otherBody() async throws {
        var config = Configurator()
        config.addRoute("raw", "/raw")
        config.addView(routeName: "raw", requestMethod: "PUT") { request in
            Response("\(request.POST.isEmpty) \(request.contentType) \(request.text)")
        }
        let response = try await call(try config.makeApp(), "PUT", "/raw", body: "a=1", contentType: "Text/Plain ; x=y")
        #expect(response.text == "true text/plain a=1")
    }

    struct Order: Codable, Sendable {
        var item: String
        var quantity: Int
    }

    @Test("jsonBody decodes the body into a Decodable type")
    func jsonBody() async throws {
        var config = Configurator()
        config.addRoute("orders", "/orders")
        config.addView(routeName: "orders", requestMethod: "POST") { request in
            let order = try request.jsonBody(as: Order.self)
            return try Response.json(
                Order(item: order.item.uppercased(), quantity: order.quantity * 2), status: .created)
        }
        let app = try config.makeApp()
        let response = try await call(
            app, "POST", "/orders", body: #"{"item": "tea", "quantity": 2}"#, contentType: "application/json")
        #expect(response.statusCode == 201)
        #expect(response.text == #"{"item":"TEA","quantity":4}"#)

        let invalid = try await call(app, "POST", "/orders", body: #"{"item": 1}"#, contentType: "application/json")
        #expect(invalid.statusCode == 400)
        #expect(invalid.header("Content-Type") == "text/plain; charset=utf-8")
    }

    @Test("headers and cookies come from the request's header fields, looked up without regard to case")
    func headersAndCookies() async throws {
        let app = try makeApp("/h") { request in
            Response("\(request.headers["x-token"] ?? "-")|\(request.cookies["session"] ?? "-")")
        }
        let response = try await call(
            app, "/h", headers: [("X-Token", "abc"), ("Cookie", "theme=dark; session=abc123")])
        #expect(response.text == "abc|abc123")
    }

    @Test("a body longer than maxBodySize is answered with 413, declared or not")
    func bodyLimit() async throws {
        var config = Configurator(maxBodySize: 8)
        config.addRoute("upload", "/upload")
        config.addView(routeName: "upload", requestMethod: "POST") { request in Response("got \(request.body.count)") }
        let app = try config.makeApp()
        #expect(try await call(app, "POST", "/upload", body: "12345678").text == "got 8")
        #expect(try await call(app, "POST", "/upload", body: "123456789").statusCode == 413)

        var chunked = makeEnviron("POST", "/upload", body: "123456789")
        chunked.contentLengthValue = ""
        #expect(try await callApplication(app, chunked).statusCode == 413)
    }

    @Test("url, hostURL, applicationURL and path rebuild the URL from Host and SCRIPT_NAME")
    func urls() async throws {
        let app = try makeApp("/a b") { request in
            Response(
                "\(request.url)\n\(request.hostURL)\n\(request.applicationURL)\n\(request.path)\n\(request.pathInfo)")
        }
        let environ = makeEnviron(
            "/a b?x=1", headers: [("Host", "example.com:8080")], scriptName: "/app", urlScheme: "https")
        let response = try await callApplication(app, environ)
        #expect(
            response.text
                == "https://example.com:8080/app/a%20b?x=1\nhttps://example.com:8080\nhttps://example.com:8080/app\n/app/a%20b\n/a b"
        )
    }
}
