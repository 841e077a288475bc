/// What `--certfile`, `--keyfile`, `--ca-certs` and `--cert-reqs` say: with them every TCP bind
/// serves HTTPS (TLS 1.2 or 1.3); unix sockets stay plain.
public struct TLSOptions: Sendable, Equatable {
    /// Whether, and how, a client must present a certificate (`--cert-reqs`, Gunicorn's values).
    public enum ClientCertificates: String, Sendable, CaseIterable {
        /// No certificate is asked for.
        case none
        /// A certificate is asked for; one that is given must verify against `--ca-certs`.
        case optional
        /// A certificate that verifies against `--ca-certs` is required.
        case required
    }

    /// The PEM file of the server's certificate, then its chain.
    public var certificateFile: String
    /// The PEM file of the certificate's private key.
    public var keyFile: String
    /// The PEM file of the authorities client certificates are verified against.
    public var caCertificatesFile: String?
    public var clientCertificates: ClientCertificates

    public init(
        certificateFile: String, keyFile: String, caCertificatesFile: String? = nil,
        clientCertificates: ClientCertificates = .none
    ) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.caCertificatesFile = caCertificatesFile
        self.clientCertificates = clientCertificates
    }
}
