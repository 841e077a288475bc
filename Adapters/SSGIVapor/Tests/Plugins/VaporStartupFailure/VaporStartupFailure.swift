import SSGIVapor
import Vapor

/// An application whose configuration fails, for the test that the server refuses to start.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exportVaporApplication(name: "vaporstartupfailure") { _ in
        throw Abort(.internalServerError, reason: "the database is unreachable")
    }
}
