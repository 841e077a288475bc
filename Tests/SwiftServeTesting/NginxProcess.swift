import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real nginx (Debian's package) started for a test as a process of its own: its configuration,
/// pid file, logs and temporary files in `directory`, listening on 127.0.0.1 only, in the
/// foreground (`daemon off`), and stopped by its process id. It serves a site given as the
/// `upstream` and `server` blocks of a site file (docs/DEPLOYMENT.md's, for the tests behind
/// nginx), over plain HTTP on `port` and over TLS (a throwaway self-signed certificate) on
/// `tlsPort`. Its workers run as `www-data` when it is started as root, as Debian's own
/// configuration has them.
public final class NginxProcess: @unchecked Sendable {
    public let directory: URL
    public private(set) var port = 0
    public private(set) var tlsPort = 0
    /// The nginx master process, once it answers.
    public private(set) var process: Process?
    private let output = OutputCollector()

    /// Why nginx did not come up.
    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case notListening(String)

        public var description: String {
            switch self {
            case .missing(let what): "\(what) is not installed: apt-get install -y nginx openssl (.ci/run does)"
            case .notListening(let log): "nginx did not start listening:\n\(log)"
            }
        }
    }

    /// Where a site is to listen, and the certificate it may use.
    public struct Listening: Sendable {
        public let port: Int
        public let tlsPort: Int
        public let certificate: String
        public let key: String
    }

    /// Starts nginx in `directory` with the site `site` makes for the ports and certificate it is given.
    public init(directory: URL, site: (Listening) throws -> String) throws {
        guard let nginx = TestEnvironment.executable("nginx") else { throw Failure.missing("nginx") }
        guard let openssl = TestEnvironment.executable("openssl") else { throw Failure.missing("openssl") }
        self.directory = directory
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        let generated = try CommandResult.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", key, "-out", certificate,
            ], timeout: 60)
        guard generated.status == 0 else { throw Failure.notListening("openssl failed: \(generated.standardError)") }

        // Free ports can be taken between the check and nginx's bind: try a few times.
        for _ in 0..<5 {
            (self.port, self.tlsPort) = (try Self.freePort(), try Self.freePort())
            let configuration = directory.appendingPathComponent("nginx.conf")
            let listening = Listening(port: self.port, tlsPort: self.tlsPort, certificate: certificate, key: key)
            try Self.configuration(directory: directory.path, site: try site(listening))
                .write(to: configuration, atomically: true, encoding: .utf8)
            if try self.start(nginx, configuration: configuration.path) { return }
        }
        throw Failure.notListening(self.log)
    }

    /// The error log and what nginx printed.
    public var log: String {
        let errors =
            (try? String(contentsOf: self.directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        return self.output.text + errors
    }

    /// Stops nginx (SIGQUIT, its graceful stop) and waits for it to exit.
    public func stop() {
        guard let process = self.process, process.isRunning else { return }
        kill(process.processIdentifier, SIGQUIT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        self.stop()
    }

    /// A whole configuration around `site`, with every path in `directory`.
    public static func configuration(directory: String, site: String) -> String {
        """
        daemon off;
        worker_processes 1;
        # Only applies when started as root: the workers run as www-data, as in Debian's nginx.conf.
        user www-data;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log warn;

        events {
            worker_connections 256;
        }

        http {
            access_log \(directory)/access.log;
            client_body_temp_path \(directory)/client_body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;

        \(site)
        }

        """
    }

    /// Starts nginx; false when it exited (a port taken meanwhile), true once it answers.
    private func start(_ nginx: String, configuration: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", self.directory.path, "-c", configuration, "-e", self.directory.path + "/error.log"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let collector = self.output
        pipe.fileHandleForReading.readabilityHandler = { collector.append($0.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if !process.isRunning { return false }
            if (try? RawHTTPClient(port: self.port, timeout: 1)) != nil {
                self.process = process
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// A port nothing listens on at the moment.
    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw RawHTTPClientError.system("bind", errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
