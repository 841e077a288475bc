/// What a worker tells its master over the control pipe, one message at a time.
///
/// The encoding is bytes: `.` a heartbeat, `R` ready, `S` a request to be replaced, and
/// `E`, a line of text and a newline for a boot failure. Each message is written with one
/// `write` of at most `PIPE_BUF` bytes, so it arrives whole.
enum WorkerMessage: Equatable, Sendable {
    /// Every event loop of the worker is turning.
    case heartbeat
    /// The application is loaded and started, and the worker accepts connections.
    case ready
    /// The worker has served its `--max-requests` and asks for a replacement; it keeps serving
    /// until the master stops it.
    case retiring
    /// The application could not be loaded or started; the worker exits next.
    case bootFailed(String)

    /// The longest boot-failure text sent, so that the message stays within `PIPE_BUF`.
    static let maximumTextLength = 3072

    var encoded: [UInt8] {
        switch self {
        case .heartbeat: return [UInt8(ascii: ".")]
        case .ready: return [UInt8(ascii: "R")]
        case .retiring: return [UInt8(ascii: "S")]
        case .bootFailed(let text):
            let line = text.utf8.map { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") ? UInt8(ascii: " ") : $0 }
            return [UInt8(ascii: "E")] + line.prefix(Self.maximumTextLength) + [UInt8(ascii: "\n")]
        }
    }
}

/// Turns the bytes read from a control pipe back into messages, however the reads split them.
struct WorkerMessageDecoder {
    private var pendingText: [UInt8]?

    /// The messages that `bytes` complete; bytes of no message are skipped.
    mutating func decode(_ bytes: some Sequence<UInt8>) -> [WorkerMessage] {
        var messages: [WorkerMessage] = []
        for byte in bytes {
            if self.pendingText != nil {
                if byte == UInt8(ascii: "\n") {
                    messages.append(.bootFailed(String(decoding: self.pendingText!, as: UTF8.self)))
                    self.pendingText = nil
                } else if self.pendingText!.count < WorkerMessage.maximumTextLength {
                    self.pendingText!.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "."): messages.append(.heartbeat)
            case UInt8(ascii: "R"): messages.append(.ready)
            case UInt8(ascii: "S"): messages.append(.retiring)
            case UInt8(ascii: "E"): self.pendingText = []
            default: break
            }
        }
        return messages
    }
}
