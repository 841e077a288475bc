import SSGIVapor
import Vapor

/// The entry point `swiftserve` resolves: `swiftserve .build/debug/libvaporexample.so:app`.
///
/// The limit of 8 MB matches the largest route limit in `routes(_:)` (`POST /echo-length`): the
/// adapter collects a body before routing, so it must be allowed to collect the largest one a route
/// takes. The application uses no service tied to its event loops (such as Fluent's pools), so
/// its responder runs on the server's calling thread, without a thread hop.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    exportVaporApplication(name: "vaporexample", maxBodySize: "8mb", eventLoop: .callingThread, configure: configure)
}
