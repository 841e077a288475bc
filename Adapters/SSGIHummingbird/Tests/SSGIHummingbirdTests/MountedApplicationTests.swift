import Hummingbird
import Logging
import SSGI
import SSGIHummingbird
import Testing

/// An application mounted below a SCRIPT_NAME routes on PATH_INFO. swiftserve always mounts at the
/// root, so these environs are made by hand and the adapter is called in-process, with the SDK's
/// validator around it.
@Suite("Hummingbird applications mounted below SCRIPT_NAME")
struct MountedApplicationTests {
    static func application() async throws -> AsyncApplication {
        let adapter = HummingbirdAdapter(logger: Logger(label: "mounted")) {
            let router = Router(context: SSGIRequestContext.self)
            router.get("files/:name") { request, context in
                "\(try context.parameters.require("name")) \(request.uri.path) \(request.uri.query ?? "-")"
            }
            return router.buildResponder()
        }
        try await adapter.start()
        return Validator.wrap { environ, startResponse in try await adapter.respond(environ, startResponse) }
    }

    @Test("the routes see PATH_INFO and QUERY_STRING, not the mount point")
    func routesOnPathInfo() async throws {
        let environ = Environ(scriptName: "/api", pathInfo: "/files/report", queryString: "page=2")
        let response = try await callApplication(Self.application(), environ)
        #expect(response.statusCode == 200)
        #expect(response.text == "report /files/report page=2")
    }

    // Hummingbird routes on the encoded path and leaves parameters encoded, behind its own server too.
    @Test("PATH_INFO is percent-encoded again, so a decoded space or '?' stays in the path")
    func pathInfoEncodedAgain() async throws {
        let environ = Environ(scriptName: "/api", pathInfo: "/files/a b?c")
        let response = try await callApplication(Self.application(), environ)
        #expect(response.statusCode == 200)
        #expect(response.text == "a%20b%3Fc /files/a%20b%3Fc -")
    }

    @Test("at the root, the target as sent is routed on, as Hummingbird's server routes it")
    func rootUsesRequestTarget() async throws {
        // `%79` is a needlessly encoded `y`: PATH_INFO has it decoded, the target as sent does not.
        let environ = Environ(pathInfo: "/files/xy", queryString: "q=1", requestURI: "/files/x%79?q=1")
        let response = try await callApplication(Self.application(), environ)
        #expect(response.text == "x%79 /files/x%79 q=1")
    }
}
