import NIOCore
import NIOEmbedded
import NIOHTTP1
import SwiftServe

/// Holds swiftserve's request parser to SwiftNIO's (llhttp): the same bytes, cut into the same
/// pieces, go to both, and after every piece what each has read must be the same: the requests
/// (method, target, version, fields, whether the connection stays open), their body bytes, their
/// ends and trailers, and whether the bytes were refused. The one disagreement allowed is a
/// refusal of swiftserve's under one of its own stricter rules (docs/SPEC.md §14.1), and only
/// where an independent reading of the bytes confirms the rule was broken.
///
/// The fuzzer runs it on every input (Fuzz/Sources/FuzzRequestPath) and the unit tests on their
/// cases, so that a difference is found the moment either parser changes.
public enum ParserDifferential {
    /// Feeds `bytes` to both parsers in pieces of `pieceSize` bytes (all at once for 0), and
    /// returns a description of the first disagreement, or nil when they agree throughout.
    public static func compare(_ bytes: [UInt8], pieceSize: Int, limits: RequestLimits = RequestLimits()) -> String? {
        let channel = EmbeddedChannel()
        let recorder = NIORecorder()
        do {
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(
                    HTTPRequestDecoder(
                        leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop,
                        limitConfiguration: limits.decoderLimits)),
                recorder,
            ])
        } catch {
            return "could not set up SwiftNIO's decoder: \(error)"
        }
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        var ours = OurRecorder(limits: limits)
        var offset = 0
        while offset < bytes.count {
            let end = pieceSize == 0 ? bytes.count : min(bytes.count, offset + pieceSize)
            let piece = Array(bytes[offset..<end])
            offset = end
            if recorder.error == nil {
                _ = try? channel.writeInbound(ByteBuffer(bytes: piece))
            }
            ours.feed(piece)
            if let difference = Self.difference(
                nio: recorder, ours: ours, received: Array(bytes[..<offset]), limits: limits)
            {
                return "after \(offset) of \(bytes.count) bytes: \(difference)"
            }
            if ours.error != nil { break }
        }
        return nil
    }

    private static func difference(nio: NIORecorder, ours: OurRecorder, received: [UInt8], limits: RequestLimits)
        -> String?
    {
        if let error = ours.error, error.isServerRule {
            // The server refused first, under a rule of its own: what both read before must
            // agree, and the rule must hold for the bytes of the refused request.
            guard Self.confirms(error.rule, in: Array(received[ours.messageStart...]), limits: limits) else {
                return "swiftserve refused under \(error.rule) (\(error.reason)), which the bytes do not break"
            }
            let agreed = Array(nio.messages.prefix(ours.messages.count))
            if agreed != ours.messages {
                return
                    "before swiftserve's refusal (\(error.reason)) the requests differ:\n  nio:   \(agreed)\n  swiftserve: \(ours.messages)"
            }
            // What SwiftNIO read from the refused request on (the rest of it, and any request
            // after it in the same bytes) has no counterpart: the server reads no further.
            return nil
        }
        if (nio.error != nil) != (ours.error != nil) {
            return
                "SwiftNIO \(nio.error.map { "refused (\($0))" } ?? "did not refuse"), swiftserve \(ours.error.map { "refused (\($0.reason))" } ?? "did not refuse")\n  nio:   \(nio.messages)\n  swiftserve: \(ours.messages)"
        }
        if nio.messages != ours.messages {
            return "the requests differ:\n  nio:   \(nio.messages)\n  swiftserve: \(ours.messages)"
        }
        return nil
    }

    /// Whether the bytes of a request (from where it starts, empty lines before it included)
    /// break the server's rule, read without the parser: the request line is the bytes up to the
    /// first CR or LF, each field line the bytes up to the next.
    static func confirms(_ rule: RequestParseError.Rule, in bytes: [UInt8], limits: RequestLimits) -> Bool {
        var start = 0
        while start < bytes.count, bytes[start] == 13 || bytes[start] == 10 { start += 1 }
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = start
        var index = start
        while index < bytes.count {
            if bytes[index] == 10 || bytes[index] == 13 {
                lines.append(bytes[lineStart..<index])
                if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
                lineStart = index + 1
                if lines.count > 1, lines.last!.isEmpty { break }
            }
            index += 1
        }
        if lineStart < bytes.count, lines.last?.isEmpty != true { lines.append(bytes[lineStart..<bytes.count]) }
        guard let requestLine = lines.first else { return false }
        let fieldLines = lines.dropFirst().prefix { !$0.isEmpty }
        switch rule {
        case .requestLineTooLong:
            return requestLine.count > limits.requestLine
        case .tooManyFields:
            return fieldLines.count > limits.headerFields
        case .fieldTooLarge:
            return fieldLines.contains { line in
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                    return line.count > limits.headerFieldSize
                }
                let rest = line[(colon + 1)...]
                let value = rest.drop { $0 == UInt8(ascii: " ") || $0 == 9 }
                let spaces = rest.count - value.count
                return (colon - line.startIndex) + value.count > limits.headerFieldSize
                    || spaces > limits.headerFieldSize
            }
        case .notHTTP:
            let words = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
            guard words.count >= 3 else { return false }
            let protocolWord = words[2]
            return protocolWord.starts(with: "RTSP".utf8) || protocolWord.starts(with: "ICE".utf8)
        case .syntax, .parserLimits:
            return false
        }
    }
}

/// A request as either parser read it, in the terms they share.
struct ReadRequest: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var version: String
    var fields: [String]
    var keepAlive: Bool
    var body: [UInt8] = []
    var ended = false
    var trailers: [String] = []

    var description: String {
        "\(self.method) \(self.target) \(self.version) \(self.fields) keepAlive=\(self.keepAlive) body=\(self.body.count) bytes \(self.ended ? "ended" : "open") trailers=\(self.trailers)"
    }
}

/// What SwiftNIO's decoder hands on.
private final class NIORecorder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    var messages: [ReadRequest] = []
    var error: (any Error)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            // SwiftNIO spells M-SEARCH as its enum case does.
            let method = head.method == .MSEARCH ? "M-SEARCH" : head.method.rawValue
            self.messages.append(
                ReadRequest(
                    method: method, target: head.uri, version: "\(head.version.major).\(head.version.minor)",
                    fields: head.headers.map { "\($0.name): \($0.value)" }, keepAlive: head.isKeepAlive))
        case .body(let chunk):
            self.messages[self.messages.count - 1].body += chunk.readableBytesView
        case .end(let trailers):
            self.messages[self.messages.count - 1].ended = true
            self.messages[self.messages.count - 1].trailers =
                trailers.map { $0.map { "\($0.name): \($0.value)" } } ?? []
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.error == nil { self.error = error }
    }
}

/// What swiftserve's parser hands on, asked for events until it needs more bytes.
private struct OurRecorder {
    var parser: RequestParser
    var input = ByteBuffer()
    var messages: [ReadRequest] = []
    var error: RequestParseError?
    /// Bytes before the request being read: where it starts in the stream.
    var messageStart = 0
    private var consumed = 0

    init(limits: RequestLimits) {
        self.parser = RequestParser(limits: limits)
    }

    mutating func feed(_ bytes: [UInt8]) {
        self.input.writeBytes(bytes)
        guard self.error == nil else { return }
        while true {
            let before = self.input.readerIndex
            let event = self.parser.next(&self.input)
            self.consumed += self.input.readerIndex - before
            switch event {
            case .needMoreBytes:
                return
            case .head:
                let head = self.parser.head
                let strings = head.strings(in: self.input)
                self.messages.append(
                    ReadRequest(
                        method: strings.method, target: strings.target,
                        version: "\(head.versionMajor).\(head.versionMinor)",
                        fields: strings.fields.map { "\($0.name): \($0.value)" }, keepAlive: head.keepAlive))
            case .body(let chunk):
                self.messages[self.messages.count - 1].body += chunk.readableBytesView
            case .end:
                self.messages[self.messages.count - 1].ended = true
                self.messages[self.messages.count - 1].trailers = self.parser.head.trailerStrings(in: self.input)
                    .map { "\($0.name): \($0.value)" }
                self.messageStart = self.consumed + self.parser.head.trailersLength
            case .error(let error):
                self.error = error
                return
            }
        }
    }
}
