import Foundation

/// A bounded HTTP load from the test process: `connections` threads, each sending `GET path` on a
/// kept-alive connection and waiting for the answer before sending the next, and opening a new
/// connection when the server asks to close (`Connection: close`), after
/// `requestsPerConnection` requests, and after a failure.
///
/// It runs until `stop`, for at most `duration` seconds. Every answer and every failure is
/// recorded with the connection's previous answer, so that when `path` names the worker that
/// answers (the `faults` plugin's `/pid`), a failure tells which worker its connection was on.
public final class LoadClient: @unchecked Sendable {
    /// One request's outcome.
    public struct Outcome: Sendable {
        /// Which of the load's connections (threads) sent it, from 0.
        public var connection: Int
        /// When it completed.
        public var time: Date
        /// The response's status, nil when the request failed at the socket.
        public var status: Int?
        /// The response's body.
        public var body: String
        /// What went wrong at the socket.
        public var error: String?
        /// The body of the previous answer on the same connection; nil on a new connection.
        public var previousBody: String?

        public var succeeded: Bool { self.status.map { (200..<300).contains($0) } ?? false }
    }

    private let port: Int
    private let path: String
    private let connections: Int
    private let requestsPerConnection: Int
    private let duration: TimeInterval
    private let outcomes = Locked<[Outcome]>([])
    private let stopped = Locked(false)
    private let finished = DispatchGroup()

    public init(
        port: Int, path: String = "/", connections: Int = 4, requestsPerConnection: Int = 1000,
        duration: TimeInterval = 60
    ) {
        self.port = port
        self.path = path
        self.connections = connections
        self.requestsPerConnection = requestsPerConnection
        self.duration = duration
    }

    /// Starts the connections' threads, one after another: each once the one before has its
    /// first answer (or failed), so that the connections reach the server apart, as connections
    /// of different clients do, and spread over its workers.
    public func start() {
        let deadline = Date().addingTimeInterval(self.duration)
        for connection in 0..<self.connections {
            self.finished.enter()
            let firstAnswer = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                self.run(connection, until: deadline, firstAnswer: firstAnswer)
                self.finished.leave()
            }
            _ = firstAnswer.wait(timeout: .now() + 10)
        }
    }

    /// Stops, waits for the requests in flight, and returns every outcome.
    @discardableResult
    public func stop() -> [Outcome] {
        self.stopped.withLock { $0 = true }
        self.finished.wait()
        return self.outcomes.value
    }

    /// Every outcome so far.
    public var results: [Outcome] { self.outcomes.value }

    /// Waits until `count` answers satisfy `matching`, up to `timeout` seconds; returns whether they did.
    @discardableResult
    public func waitForAnswers(
        _ count: Int, timeout: TimeInterval = 30, matching: (Outcome) -> Bool = { $0.succeeded }
    ) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if self.outcomes.value.lazy.filter(matching).count >= count { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    private func run(_ connection: Int, until deadline: Date, firstAnswer: DispatchSemaphore) {
        var answered = false
        func markAnswered() {
            guard !answered else { return }
            answered = true
            firstAnswer.signal()
        }
        defer { markAnswered() }
        let request = Array("GET \(self.path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        var client: RawHTTPClient?
        var sent = 0
        var previous: String?
        while !self.stopped.value, Date() < deadline {
            do {
                if client == nil || sent == self.requestsPerConnection {
                    client = try RawHTTPClient(port: self.port, timeout: 30)
                    sent = 0
                    previous = nil
                }
                try client!.send(request)
                sent += 1
                let response = try client!.readResponse()
                let body = response.bodyText
                self.record(
                    Outcome(
                        connection: connection, time: Date(), status: response.status, body: body, error: nil,
                        previousBody: previous))
                previous = body
                markAnswered()
                if response.header("Connection")?.lowercased() == "close" { client = nil }
            } catch {
                self.record(
                    Outcome(
                        connection: connection, time: Date(), status: nil, body: "", error: "\(error)",
                        previousBody: previous))
                markAnswered()
                client = nil
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    private func record(_ outcome: Outcome) {
        self.outcomes.withLock { $0.append(outcome) }
    }
}
