import Foundation
import SSGI

/// The responses scripts/bench measures besides plaintext, as an inline SSGI application:
///
/// - `/json`: `{"message":"Hello, World!"}`, encoded with `JSONEncoder` for every request, as
///   `application/json`;
/// - `/bytes`: 64 KiB of `x`, as `application/octet-stream`;
/// - anything else: the 44-byte plaintext hello of `barebones`.
@_cdecl("app")
public func app() -> UnsafeRawPointer {
    let bytes = BodyChunk([UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024))
    return exportApplication(name: "responses", execution: .inline) { environ, startResponse in
        switch environ.pathInfo {
        case "/json":
            let body = try JSONEncoder().encode(Message(message: "Hello, World!"))
            startResponse("200 OK", [("Content-Type", "application/json")])
            return .bytes(Array(body))
        case "/bytes":
            startResponse("200 OK", [("Content-Type", "application/octet-stream")])
            return [bytes]
        default:
            startResponse("200 OK", [("Content-Type", "text/plain")])
            return ["Hello world from a simple SSGI application!\n"]
        }
    }
}

/// The JSON body.
struct Message: Encodable {
    let message: String
}
