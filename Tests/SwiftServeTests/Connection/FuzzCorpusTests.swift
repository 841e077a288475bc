import Foundation
import NIOCore
import NIOEmbedded
import ParserDifferential
import Testing

@testable import SwiftServe

/// The fuzz target's procedure (`Fuzz/Sources/FuzzRequestPath`), run on its seed corpus in the
/// unit tests: every input, read in pieces of several sizes by both parsers and sent through the
/// connection's real pipeline, leaves a connection that a timeout has closed two minutes of the
/// event loop's clock after its last byte. So the fuzzer reaches the header, keep-alive and
/// body-rate timeouts: they run on the clock it moves, not on the wall clock.
@Suite("Fuzz corpus", .serialized)
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/request-path")

    /// The seeds, the first byte of each the fuzz target's options (bit 0: a `proxy:` listener,
    /// bits 1-7: the size of the pieces the rest arrives in).
    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted().map { name in
            (name, Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name))))
        }
    }

    /// Sends `bytes` as the fuzz target does, and returns the channel after the last piece.
    static func connect(_ bytes: ArraySlice<UInt8>, pieceSize: Int, proxyProtocol: Bool) throws -> EmbeddedChannel {
        let channel = try ConnectionTestChannel.make(proxyProtocol: proxyProtocol)
        var offset = bytes.startIndex
        while offset < bytes.endIndex, channel.isActive {
            let end = pieceSize == 0 ? bytes.endIndex : min(bytes.endIndex, offset + pieceSize)
            _ = try? channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            channel.embeddedEventLoop.run()
            _ = channel.output()
            offset = end
        }
        return channel
    }

    @Test("the seed corpus is there", .enabled(if: FileManager.default.fileExists(atPath: Self.corpus.path)))
    func corpusExists() throws {
        #expect(try Self.seeds().count >= 30)
    }

    @Test(
        "every seed, in pieces of 0 (all at once), 1 and 7 bytes: the parsers agree, and a timeout closes the connection within two minutes of its last byte"
    )
    func timeoutsCloseEveryConnection() throws {
        for (name, input) in try Self.seeds() {
            guard let options = input.first else { continue }
            let proxyProtocol = options & 1 == 1
            for pieceSize in [Int(options >> 1), 0, 1, 7] {
                let bytes = input.dropFirst()
                if !proxyProtocol {
                    let difference = ParserDifferential.compare(Array(bytes), pieceSize: pieceSize)
                    #expect(difference == nil, "\(name), pieces of \(pieceSize): \(difference ?? "")")
                }
                let channel = try Self.connect(bytes, pieceSize: pieceSize, proxyProtocol: proxyProtocol)
                channel.embeddedEventLoop.advanceTime(by: .seconds(120))
                _ = channel.output()
                #expect(
                    !channel.isActive, "\(name), pieces of \(pieceSize): still open two minutes after its last byte")
                _ = try? channel.finish(acceptAlreadyClosed: true)
            }
        }
    }

    @Test("the check can fail: without the clock moving, a connection waiting for the rest of a head stays open")
    func withoutTimeStaysOpen() throws {
        let seed = try #require(try Self.seeds().first { $0.name == "partial-head" })
        let channel = try Self.connect(seed.bytes.dropFirst(), pieceSize: 0, proxyProtocol: false)
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        #expect(!channel.isActive)
    }
}
