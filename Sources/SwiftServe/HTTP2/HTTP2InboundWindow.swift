/// What a receive window (of one HTTP/2 stream, or of the connection) should be opened by: the
/// arithmetic of SwiftNIO's child-channel window manager, for streams served without a child
/// channel.
///
/// The window is reopened towards `target` as the application takes the bytes; bytes received and
/// held, not yet handed to the application, count as still in the window, so a client can never
/// have more than `target` bytes in flight and held together: what bounds the memory of an upload.
struct HTTP2InboundWindow {
    let target: Int
    /// The window as the client sees it, last told by `NIOHTTP2WindowUpdatedEvent`.
    private var size: Int?
    /// Bytes received and held back from the application.
    private(set) var heldBytes = 0

    init(target: Int) {
        self.target = target
    }

    /// The window is now `size` bytes (a frame came in, or an update went out); returns by how
    /// much to open it, if at all.
    mutating func changed(to size: Int) -> Int? {
        self.size = size
        return self.increment()
    }

    /// `count` bytes of the last frame are held back from the application.
    mutating func held(_ count: Int) {
        self.heldBytes += count
    }

    /// `count` held bytes went to the application; returns by how much to open the window.
    mutating func released(_ count: Int) -> Int? {
        self.heldBytes -= count
        return self.increment()
    }

    /// Opens the window once it has fallen to half the target or less (not for every frame),
    /// back to the target.
    private func increment() -> Int? {
        guard let size = self.size else { return nil }
        let effective = size + self.heldBytes
        guard effective < self.target else { return nil }
        if effective < 0 { return min(self.target - effective, Int(Int32.max)) }
        let increment = self.target - effective
        return increment >= effective ? increment : nil
    }
}
