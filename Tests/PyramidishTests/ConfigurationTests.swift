import Pyramidish
import SSGI
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    private func problems(_ configure: (inout Configurator) -> Void) -> [String] {
        var config = Configurator()
        configure(&config)
        do {
            _ = try config.makeApp()
            return []
        } catch {
            return error.problems
        }
    }

    @Test(
        "a malformed pattern is reported when the app is made",
        arguments: [
            ("/users/{id", "'{' without a matching '}'"),
            ("/users/id}", "'}' without a matching '{'"),
            ("/users/{1d}", "'1d' is not a valid placeholder name"),
            ("/users/{}", "'' is not a valid placeholder name"),
            ("/{id}/{id}", "placeholder 'id' appears twice"),
            ("/items/{n:[0-9}", "is not a valid regular expression"),
        ])
    func malformedPattern(pattern: String, message: String) {
        let problems = self.problems { $0.addRoute("bad", pattern) }
        #expect(problems.count == 1)
        #expect(problems.first?.contains(message) == true)
    }

    @Test("a route name used twice is reported")
    func duplicateRoute() {
        let problems = self.problems { config in
            config.addRoute("home", "/")
            config.addRoute("home", "/home")
        }
        #expect(problems == ["route name 'home' is used twice"])
    }

    @Test("a view attached to a route that does not exist is reported")
    func unknownRoute() {
        let problems = self.problems { config in
            config.addView(routeName: "ghost", requestMethod: "GET") { _ in Response("") }
        }
        #expect(problems == ["a view is attached to the route 'ghost', which does not exist"])
    }

    @Test("two views for the same route and methods without predicates are reported")
    func conflictingViews() {
        let problems = self.problems { config in
            config.addRoute("home", "/")
            config.addView(routeName: "home", requestMethod: "GET", "POST") { _ in Response("") }
            config.addView(routeName: "home", requestMethod: "post", "get") { _ in Response("") }
            config.addView(routeName: "home", requestMethod: "GET", predicates: [.requestParam("x")]) { _ in
                Response("")
            }
        }
        #expect(problems == ["two views answer GET, POST on the route 'home' with the same predicates"])
    }

    @Test("every problem is reported at once, and a view may come before its route")
    func allProblems() {
        let problems = self.problems { config in
            config.addView(routeName: "later") { _ in Response("") }
            config.addRoute("later", "/later")
            config.addRoute("a", "/{")
            config.addRoute("b", "/}")
        }
        #expect(problems.count == 2)
    }
}
