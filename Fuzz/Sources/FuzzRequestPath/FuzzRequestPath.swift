import Logging
import NIOCore
import NIOEmbedded
import ParserDifferential
import SwiftServe

/// libFuzzer's entry point: one input is one connection to the server's real request path, and
/// the same bytes are read by swiftserve's request parser and SwiftNIO's side by side.
///
/// The first byte chooses how the rest arrives: bit 0 sets a `proxy:` listener (the bytes start
/// with a PROXY protocol header), bits 1–7 the size of the pieces the bytes arrive in (0: all at
/// once), so that every parser state meets a read boundary. Without a PROXY header, the request
/// parser must read the bytes exactly as SwiftNIO's llhttp-based parser does, piece by piece (`ParserDifferential`): any disagreement is a finding, except a refusal
/// under one of the server's stricter rules that the bytes are seen to break. The bytes go through the pipeline
/// `Server` puts on every connection (`ConnectionPipeline`: PROXY header, parser, the server's
/// rules, environ building, the C boundary) into `FuzzApplication`, which checks the server's
/// promises and reads every body. Time then jumps two minutes on the event loop's clock, and a
/// timeout must have closed the connection by then. Crashes, sanitizer reports, leaks and broken promises are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let options = input.first else { return 0 }
    let bytes = input.dropFirst()
    let channel = EmbeddedChannel()
    do {
        try Fuzzing.pipeline.configure(channel, proxyProtocol: options & 1 == 1)
        try channel.connect(to: Fuzzing.peer).wait()
    } catch {
        fatalError("the pipeline could not be set up: \(error)")
    }
    let piece = Int(options >> 1)
    Fuzzing.compareParsers(Array(bytes), pieceSize: piece, proxyProtocol: options & 1 == 1)
    var output = ByteBuffer()
    var offset = bytes.startIndex
    while offset < bytes.endIndex, channel.isActive {
        let end = piece == 0 ? bytes.endIndex : min(bytes.endIndex, offset + piece)
        _ = try? channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
        channel.embeddedEventLoop.run()
        Fuzzing.collect(channel, into: &output)
        offset = end
    }
    // Every timer runs on the event loop's clock: two minutes later a timeout has closed the
    // connection whatever its state (the header and keep-alive timeouts, the body rate).
    channel.embeddedEventLoop.advanceTime(by: .seconds(120))
    Fuzzing.collect(channel, into: &output)
    precondition(!channel.isActive, "the connection is still open two minutes after its last byte: no timeout fired")
    _ = try? channel.finish(acceptAlreadyClosed: true)
    channel.embeddedEventLoop.run()
    Fuzzing.check(output)
    return 0
}

/// What every input shares: the application, loaded once, and the pipeline around it.
enum Fuzzing {
    static let pipeline: ConnectionPipeline = {
        do {
            let application = try ApplicationLoader.load(linked: FuzzApplication.entryPoint, named: "fuzz")
            var configuration = ServerConfiguration()
            configuration.threads = 1
            return ConnectionPipeline(
                application: application, configuration: configuration,
                logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            fatalError("the fuzz application did not load: \(error)")
        }
    }()

    /// Reads `bytes` with both parsers and traps on a disagreement; inputs for a `proxy:`
    /// listener (half of them) start with a PROXY header, which is no HTTP, and are not compared.
    static func compareParsers(_ bytes: [UInt8], pieceSize: Int, proxyProtocol: Bool) {
        guard !proxyProtocol else { return }
        if let difference = ParserDifferential.compare(bytes, pieceSize: pieceSize) {
            preconditionFailure("the parsers disagree \(difference)")
        }
    }

    /// A trusted peer, so that the forwarding headers are read too.
    static let peer = try! SocketAddress(ipAddress: "127.0.0.1", port: 40000)

    /// Appends what the server wrote.
    static func collect(_ channel: EmbeddedChannel, into output: inout ByteBuffer) {
        while var written = try? channel.readOutbound(as: ByteBuffer.self) {
            output.writeBuffer(&written)
        }
    }

    /// What the server wrote on a connection is nothing, or responses: it starts with a status line.
    static func check(_ output: ByteBuffer) {
        guard output.readableBytes > 0 else { return }
        let start = output.getString(at: output.readerIndex, length: min(9, output.readableBytes)) ?? ""
        precondition("HTTP/1.1 ".hasPrefix(start), "the server's output starts with \(start.debugDescription)")
    }
}
