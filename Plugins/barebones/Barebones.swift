import SSGI

/// The smallest SSGI application: no framework, one response for every request.
///
/// It never blocks, so it runs inline on the server's I/O thread.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exportApplication(name: "barebones", execution: .inline) { environ, startResponse in
        startResponse("200 OK", [("Content-Type", "text/plain")])
        return ["Hello world from a simple SSGI application!\n"]
    }
}
