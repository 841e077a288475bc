import Foundation
import SwiftServeTesting
import Testing

/// The application's life under the server: its router built in the startup hook, its shutdown
/// hook run when the server stops, and a failing setup that stops the server from starting.
@Suite("Hummingbird application lifecycle under swiftserve")
struct LifecycleTests {
    @Test("the router is built before the server listens, and the shutdown hook runs when it stops")
    func startAndStop() throws {
        let server = try HummingbirdExampleServer.start()
        let started = try #require(server.log.range(of: "hummingbirdexample started"))
        let listening = try #require(server.log.range(of: "listening on"))
        #expect(started.lowerBound < listening.lowerBound)
        #expect(try server.request("GET", "/hello").status == 200)
        #expect(!server.log.contains("hummingbirdexample shut down"))
        #expect(server.stop() == 0)
        #expect(server.waitForLog("hummingbirdexample shut down"))
    }

    @Test("a router setup that throws stops swiftserve from starting, and says why")
    func startupFailure() throws {
        let result = try CommandResult.swiftserve([
            "--bind", "127.0.0.1:0", BuildProducts.plugin("hummingbirdstartupfailure") + ":app",
        ])
        #expect(result.status != 0)
        #expect(result.standardError.contains("hummingbirdstartupfailure"))
        #expect(
            result.standardError.contains("building the Hummingbird application failed: the database is unreachable"),
            "\(result.standardError)")
        #expect(!result.standardError.contains("listening on"))
    }
}
