import Glibc
import NIOSSL

/// The TLS context every HTTPS connection of a process is served with, made from `TLSOptions`:
/// the files are read and checked here, when a server process starts (so a worker started by
/// SIGHUP reads them afresh), and a fault is one `TLSSetupError` line.
enum ServerTLS {
    /// The context for `options`, offering `protocols` by ALPN in order of preference.
    static func makeContext(_ options: TLSOptions, protocols: [String]) throws(TLSSetupError) -> NIOSSLContext {
        try Self.checkReadable(options.certificateFile, option: "--certfile")
        try Self.checkReadable(options.keyFile, option: "--keyfile")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(options.certificateFile)
        } catch {
            throw TLSSetupError("--certfile '\(options.certificateFile)' holds no valid PEM certificate")
        }
        guard !chain.isEmpty else {
            throw TLSSetupError("--certfile '\(options.certificateFile)' holds no valid PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: options.keyFile, format: .pem)
        } catch {
            throw TLSSetupError(
                "--keyfile '\(options.keyFile)' holds no valid PEM private key (an encrypted key is not supported)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.applicationProtocols = protocols
        if let caFile = options.caCertificatesFile {
            try Self.checkReadable(caFile, option: "--ca-certs")
            let authorities: [NIOSSLCertificate]
            do {
                authorities = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw TLSSetupError("--ca-certs '\(caFile)' holds no valid PEM certificate")
            }
            guard !authorities.isEmpty else {
                throw TLSSetupError("--ca-certs '\(caFile)' holds no valid PEM certificate")
            }
            configuration.trustRoots = .certificates(authorities)
            configuration.sendCANameList = true
        }
        switch options.clientCertificates {
        case .none: configuration.certificateVerification = .none
        case .optional: configuration.certificateVerification = .optionalVerification
        case .required: configuration.certificateVerification = .noHostnameVerification
        }
        if options.clientCertificates != .none, options.caCertificatesFile == nil {
            throw TLSSetupError(
                "--cert-reqs \(options.clientCertificates.rawValue) needs --ca-certs: the authorities client certificates are verified against"
            )
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(
                "--keyfile '\(options.keyFile)' does not match the certificate in --certfile '\(options.certificateFile)' (\(error))"
            )
        }
    }

    /// The ALPN protocols offered for `versions`, in order of preference.
    static func protocols(for versions: HTTPVersions) -> [String] {
        switch versions {
        case .auto: ["h2", "http/1.1"]
        case .http1: ["http/1.1"]
        case .http2: ["h2"]
        }
    }

    private static func checkReadable(_ path: String, option: String) throws(TLSSetupError) {
        guard let file = fopen(path, "r") else {
            throw TLSSetupError("cannot read \(option) '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var info = stat()
        guard fstat(fileno(file), &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw TLSSetupError("cannot read \(option) '\(path)': not a regular file")
        }
    }
}

extension TLSOptions {
    /// Reads and checks the files as a server process will, for a fault to be reported at start-up.
    public func check(httpVersions: HTTPVersions) throws(TLSSetupError) {
        _ = try ServerTLS.makeContext(self, protocols: ServerTLS.protocols(for: httpVersions))
    }
}
