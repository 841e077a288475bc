/// A worker's end of its control pipe: how it tells the master that it is ready, alive, or done.
final class MasterLink: Sendable {
    /// The write end of the pipe, inherited from the master.
    let descriptor: CInt

    init(descriptor: CInt) {
        self.descriptor = descriptor
        ControlPipe.setCloseOnExec(descriptor)
        ControlPipe.setNonBlocking(descriptor)
    }

    /// Sends `message`; false when the master is gone. A full pipe drops the message, which only
    /// heartbeats can meet: the master reads the pipe whenever it holds anything.
    @discardableResult
    func send(_ message: WorkerMessage) -> Bool {
        ControlPipe.write(message.encoded, to: self.descriptor) != .closed
    }
}
