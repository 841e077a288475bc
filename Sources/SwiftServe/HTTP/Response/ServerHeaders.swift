import Glibc
import NIOCore

/// The `Date` and `Server` header lines the server adds to a response that lacks them, kept as
/// the bytes that go on the wire and formatted again only when the second changes.
///
/// Each connection keeps its own, on its event loop, so that no lock is taken per response.
struct ServerHeaders {
    private var date = HTTPDate()
    private let serverSoftware: String
    /// `Date: ...\r\nServer: ...\r\n`.
    private(set) var lines: [UInt8] = []
    /// The length of the `Date` line at the start of `lines`.
    private var dateLength = 0

    init(serverSoftware: String) {
        self.serverSoftware = serverSoftware
    }

    /// Brings the `Date` line up to the current second.
    mutating func refresh() {
        self.refresh(now: time(nil))
    }

    /// Brings the `Date` line up to `now`, in seconds since the epoch.
    mutating func refresh(now: time_t) {
        guard self.date.refresh(now: now) || self.lines.isEmpty else { return }
        var lines: [UInt8] = []
        lines.reserveCapacity(64 + self.serverSoftware.utf8.count)
        lines.append(contentsOf: "Date: ".utf8)
        lines.append(contentsOf: self.date.cachedIMF)
        lines.append(contentsOf: "\r\n".utf8)
        self.dateLength = lines.count
        lines.append(contentsOf: "Server: ".utf8)
        lines.append(contentsOf: self.serverSoftware.utf8)
        lines.append(contentsOf: "\r\n".utf8)
        self.lines = lines
    }

    /// Calls `body` with the lines as they were at the last `refresh`, the ones asked for only.
    func withLines<Result>(date: Bool, server: Bool, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        self.lines.withUnsafeBytes { lines in
            switch (date, server) {
            case (true, true): body(lines)
            case (true, false): body(UnsafeRawBufferPointer(rebasing: lines[..<self.dateLength]))
            case (false, true): body(UnsafeRawBufferPointer(rebasing: lines[self.dateLength...]))
            case (false, false): body(UnsafeRawBufferPointer(start: nil, count: 0))
            }
        }
    }

    /// Writes the lines as they were at the last `refresh`, the ones asked for only.
    func write(date: Bool, server: Bool, into buffer: inout ByteBuffer) {
        switch (date, server) {
        case (true, true): buffer.writeBytes(self.lines)
        case (true, false): buffer.writeBytes(self.lines[..<self.dateLength])
        case (false, true): buffer.writeBytes(self.lines[self.dateLength...])
        case (false, false): break
        }
    }

    /// The current IMF-fixdate, for the server's own error responses.
    mutating func imfFixdate() -> [UInt8] {
        self.date.imfFixdate()
    }

    /// The current date in Common Log Format, for the access log.
    mutating func commonLog() -> String {
        self.date.commonLog()
    }
}
