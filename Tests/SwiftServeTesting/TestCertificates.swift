import Foundation

/// PEM files made with `openssl` for a test: a self-signed certificate for `localhost` and its
/// key, a client certificate signed by a test authority, another key that matches nothing, and a
/// file that is no PEM at all, in a directory of their own.
public struct TestCertificates: Sendable {
    public let directory: URL
    public var certificate: String { self.path("server.crt") }
    public var key: String { self.path("server.key") }
    public var otherKey: String { self.path("other.key") }
    public var garbage: String { self.path("garbage.pem") }
    public var authority: String { self.path("ca.crt") }
    public var clientCertificate: String { self.path("client.crt") }
    public var clientKey: String { self.path("client.key") }
    /// `--certfile` and `--keyfile` for the server's certificate and key.
    public var serverArguments: [String] { ["--certfile", self.certificate, "--keyfile", self.key] }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public init() throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftserve-certs-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try self.openssl(
            ["req", "-x509"] + ec + [
                "-keyout", self.key, "-out", self.certificate, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        try self.openssl([
            "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", self.otherKey,
        ])
        try self.openssl(
            ["req", "-x509"] + ec + [
                "-keyout", self.path("ca.key"), "-out", self.authority, "-days", "2", "-subj", "/CN=Test Authority",
            ])
        try self.openssl(
            ["req", "-new"] + ec + [
                "-keyout", self.clientKey, "-out", self.path("client.csr"), "-subj", "/CN=alice/O=Example Clients",
            ])
        try self.openssl([
            "x509", "-req", "-in", self.path("client.csr"), "-CA", self.authority, "-CAkey", self.path("ca.key"),
            "-CAcreateserial", "-out", self.clientCertificate, "-days", "2",
        ])
        try Data("this is not a PEM file\n".utf8).write(to: URL(fileURLWithPath: self.garbage))
    }

    /// Replaces the server's certificate and key with a new pair for `commonName`, each renamed
    /// over the old file, as a deploy does.
    public func replaceServerCertificate(commonName: String) throws {
        let key = self.path("new.key")
        let certificate = self.path("new.crt")
        try self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
        ])
        guard rename(key, self.key) == 0, rename(certificate, self.certificate) == 0 else {
            throw Failure(description: "cannot rename the new certificate into place")
        }
    }

    public func path(_ name: String) -> String {
        self.directory.appendingPathComponent(name).path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try CommandResult.run("/usr/bin/openssl", arguments, timeout: 60)
        guard result.status == 0 else { throw Failure(description: "openssl \(arguments): \(result.standardError)") }
    }
}
