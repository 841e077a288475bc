import Foundation
import SwiftServeTesting
import Testing

@testable import SwiftServe

/// The client certificate's subject as RFC 4514 text, held to OpenSSL's own rendering of the same
/// certificates (`-nameopt RFC2253` without escaping UTF-8, as mod_ssl's `SSL_CLIENT_S_DN`).
@Suite("Certificate subject")
struct CertificateSubjectTests {
    /// A certificate for `subject` (openssl's `-subj` form), its DER bytes and OpenSSL's reading.
    private static func certificate(_ subject: String, multivalued: Bool = false) throws -> (
        der: [UInt8], openssl: String
    ) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("subject-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = directory.appendingPathComponent("cert.pem").path
        let der = directory.appendingPathComponent("cert.der").path
        let made = try CommandResult.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                directory.appendingPathComponent("key.pem").path, "-out", pem, "-days", "1", "-utf8", "-subj", subject,
            ]
                + (multivalued ? ["-multivalue-rdn"] : []))
        try #require(made.status == 0, "\(made.standardError)")
        _ = try CommandResult.run("/usr/bin/openssl", ["x509", "-in", pem, "-outform", "DER", "-out", der])
        let printed = try CommandResult.run(
            "/usr/bin/openssl", ["x509", "-in", pem, "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"])
        let text = printed.outputText.trimmingCharacters(in: .newlines)
        return (Array(try Data(contentsOf: URL(fileURLWithPath: der))), String(text.dropFirst("subject=".count)))
    }

    @Test(
        "reads the subject as OpenSSL does",
        arguments: [
            "/CN=client",
            "/C=DE/ST=Berlin/L=Berlin/O=Acme, Inc./OU=R+D/CN=client \"one\" <a;b>",
            "/DC=org/DC=example/UID=jdoe/CN=J\u{FC}rgen \u{65E5}\u{672C}/emailAddress=jdoe@example.org",
            "/CN=#hash and trailing space \\/O= leading",
            "/serialNumber=42/title=Dr/GN=Ada/SN=Lovelace/STREET=1 Main St/CN=x",
            "/1.2.3.4=custom/CN=y",
        ])
    func matchesOpenSSL(_ subject: String) throws {
        let (der, openssl) = try Self.certificate(subject)
        #expect(CertificateSubject.rfc4514(der: der) == openssl)
    }

    @Test("a multi-valued RDN is joined with +")
    func multivalued() throws {
        let (der, openssl) = try Self.certificate("/O=Org/CN=alice+UID=a1", multivalued: true)
        #expect(openssl.contains("+"))
        #expect(CertificateSubject.rfc4514(der: der) == openssl)
    }

    @Test("bytes that are not a certificate have no subject")
    func notACertificate() throws {
        let (der, _) = try Self.certificate("/CN=cut")
        #expect(CertificateSubject.rfc4514(der: []) == nil)
        #expect(CertificateSubject.rfc4514(der: Array("not DER".utf8)) == nil)
        #expect(CertificateSubject.rfc4514(der: Array(der.prefix(40))) == nil)
        #expect(CertificateSubject.rfc4514(der: [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
    }
}
