import Hummingbird
import NIOCore
import NIOPosix

/// `HummingbirdHello [PORT] [THREADS]`: the benchmark's responses from a Hummingbird 2 router on
/// Hummingbird's own HTTP/1.1 server, bound to 127.0.0.1:PORT.
///
/// - `/json`: `{"message":"Hello, World!"}` as `application/json`;
/// - `/bytes`: 64 KiB of `x`;
/// - `/echo` (POST): the request body streamed back;
/// - `/hello`: the 44-byte plaintext hello.
let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
let threads = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1

let plaintext = ByteBuffer(string: "Hello world from a simple SSGI application!\n")
let bytes = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)

let router = Router()
router.get("hello") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: plaintext))
}
router.get("json") { _, _ in
    Message(message: "Hello, World!")
}
router.get("bytes") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: bytes))
}
router.post("echo") { request, _ in
    Response(status: .ok, body: .init(asyncSequence: request.body))
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "Hummingbird"),
    eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: threads))
)
try await app.runService()

/// The JSON body, as Hummingbird encodes a `ResponseEncodable`.
struct Message: ResponseEncodable {
    let message: String
}
