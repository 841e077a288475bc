import Hummingbird
import SSGIHummingbird

/// An application whose setup fails, for the test that the server refuses to start.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exportHummingbird(name: "hummingbirdstartupfailure") { () async throws -> Router<SSGIRequestContext> in
        throw DatabaseUnreachable()
    }
}
