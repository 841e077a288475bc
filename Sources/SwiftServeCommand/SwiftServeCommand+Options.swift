import ArgumentParser
import Glibc
import SwiftServe

/// The checks of the command's options, and the configuration they make: every value that parses
/// but cannot be used is refused here with a message that says what to give instead.
extension SwiftServeCommand {
    /// What `Launcher` starts, from the options.
    func launchOptions() throws -> Launcher.Options {
        let configuration = try self.makeConfiguration()
        let arbiter = try self.makeArbiterConfiguration()
        return Launcher.Options(
            specifier: try ApplicationSpecifier(parsing: self.application ?? "", arguments: self.applicationArguments),
            configuration: configuration,
            arbiter: arbiter, pidFile: self.pidFile, bindGiven: !self.bind.isEmpty)
    }

    func makeConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if !self.bind.isEmpty {
            configuration.binds = []
            for value in self.bind {
                let proxyProtocol = value.hasPrefix("proxy:")
                guard let target = BindTarget(parsing: proxyProtocol ? String(value.dropFirst(6)) : value) else {
                    throw UsageError(
                        message:
                            "malformed --bind '\(value)': use HOST:PORT, [IPV6]:PORT or unix:PATH, optionally after proxy:"
                    )
                }
                if proxyProtocol {
                    configuration.proxyProtocolBinds.append(target)
                } else {
                    configuration.binds.append(target)
                }
            }
        }
        let fields: ForwardedFields
        do {
            fields = try ForwardedFields(parsing: self.forwardedHeaders)
        } catch {
            throw UsageError(message: "malformed --forwarded-headers: \(error)")
        }
        do {
            configuration.forwardedAllowIPs = try TrustedProxies(parsing: self.forwardedAllowIps, believing: fields)
        } catch {
            throw UsageError(message: "malformed --forwarded-allow-ips: \(error)")
        }
        guard self.workers >= 0 else {
            throw UsageError(
                message: "--workers must be 0 (one process, without a master) or more, not \(self.workers)")
        }
        if let threads = self.threads {
            guard threads >= 1 else { throw UsageError(message: "--threads must be at least 1, not \(threads)") }
            configuration.threads = threads
        } else if self.workers > 0 {
            configuration.threads = max(1, configuration.threads / self.workers)
        }
        guard self.headerTimeout >= 1, self.gracefulTimeout >= 0 else {
            throw UsageError(message: "--header-timeout must be at least 1 second and --graceful-timeout not negative")
        }
        guard self.keepAliveTimeout >= 1, self.sendTimeout >= 1 else {
            throw UsageError(message: "--keep-alive-timeout and --send-timeout must be at least 1 second")
        }
        guard self.minBodyRate >= 0 else {
            throw UsageError(message: "--min-body-rate must not be negative, not \(self.minBodyRate)")
        }
        guard self.workerConnections >= 1 else {
            throw UsageError(message: "--worker-connections must be at least 1, not \(self.workerConnections)")
        }
        configuration.headerTimeout = .seconds(Int64(self.headerTimeout))
        configuration.keepAliveTimeout = .seconds(Int64(self.keepAliveTimeout))
        configuration.sendTimeout = .seconds(Int64(self.sendTimeout))
        configuration.minBodyRate = self.minBodyRate
        configuration.workerConnections = self.workerConnections
        configuration.gracefulTimeout = .seconds(Int64(self.gracefulTimeout))
        if self.user != nil || self.group != nil {
            do {
                configuration.privileges = try Privileges(user: self.user, group: self.group)
            } catch {
                throw UsageError(message: error.description)
            }
        }
        if let umask = self.umask {
            let digits = umask.hasPrefix("0o") ? umask.dropFirst(2) : umask[...]
            guard !digits.isEmpty, digits.count <= 4, let mask = mode_t(digits, radix: 8), mask <= 0o777 else {
                throw UsageError(message: "malformed --umask '\(umask)': give an octal mask such as 007 or 0o077")
            }
            configuration.unixSocketUmask = mask
        }
        guard let versions = HTTPVersions(rawValue: self.http) else {
            throw UsageError(message: "--http must be auto, 1 or 2, not '\(self.http)'")
        }
        configuration.httpVersions = versions
        guard self.http2MaxStreams >= 1 else {
            throw UsageError(message: "--http2-max-streams must be at least 1, not \(self.http2MaxStreams)")
        }
        configuration.http2MaxConcurrentStreams = self.http2MaxStreams
        configuration.tls = try self.makeTLSOptions(httpVersions: versions)
        configuration.accessLog = self.accessLog
        guard let format = AccessLogFormat(rawValue: self.accessLogFormat) else {
            throw UsageError(
                message: "--access-log-format '\(self.accessLogFormat)' is not one of common, combined, json")
        }
        configuration.accessLogFormat = format
        configuration.requestIds = self.requestId
        if let value = self.metricsBind {
            guard let target = BindTarget(parsing: value) else {
                throw UsageError(
                    message: "--metrics-bind '\(value)' is not HOST:PORT, [IPV6]:PORT or unix:PATH")
            }
            configuration.metricsBind = target
        }
        configuration.debugHTTP = self.debugHTTP
        configuration.validate = self.validate
        return configuration
    }

    /// The TLS options, their files read and checked now, so that a fault is reported at start-up.
    func makeTLSOptions(httpVersions: HTTPVersions) throws -> TLSOptions? {
        guard let requirement = TLSOptions.ClientCertificates(rawValue: self.certReqs) else {
            throw UsageError(message: "--cert-reqs must be none, optional or required, not '\(self.certReqs)'")
        }
        switch (self.certfile, self.keyfile) {
        case (nil, nil):
            if self.caCerts != nil || requirement != .none {
                throw UsageError(message: "--ca-certs and --cert-reqs need --certfile and --keyfile")
            }
            return nil
        case (.some, nil): throw UsageError(message: "--certfile needs --keyfile: the certificate's private key")
        case (nil, .some): throw UsageError(message: "--keyfile needs --certfile: the certificate it belongs to")
        case (.some(let certificate), .some(let key)):
            let options = TLSOptions(
                certificateFile: certificate, keyFile: key, caCertificatesFile: self.caCerts,
                clientCertificates: requirement)
            try options.check(httpVersions: httpVersions)
            return options
        }
    }

    func makeArbiterConfiguration() throws -> ArbiterConfiguration {
        var configuration = ArbiterConfiguration()
        for (name, value) in [
            ("--timeout", self.timeout ?? 0), ("--max-requests", self.maxRequests),
            ("--max-requests-jitter", self.maxRequestsJitter),
        ] where value < 0 {
            throw UsageError(message: "\(name) must be 0 (never) or more, not \(value)")
        }
        if self.maxRequestsJitter > 0, self.maxRequests == 0 {
            throw UsageError(message: "--max-requests-jitter needs --max-requests: it adds to each worker's limit")
        }
        if self.workers == 0 {
            let needsWorkers = [
                ("--reload", self.reload), ("--timeout", self.timeout != nil), ("--max-requests", self.maxRequests > 0),
            ]
            if let (name, _) = needsWorkers.first(where: \.1) {
                throw UsageError(
                    message: "\(name) needs workers, which --workers 0 does without: use --workers 1 or more")
            }
        }
        configuration.workers = self.workers
        configuration.timeout = self.timeout.map { $0 == 0 ? nil : .seconds(Int64($0)) } ?? .seconds(30)
        configuration.maxRequests = self.maxRequests == 0 ? nil : self.maxRequests
        configuration.maxRequestsJitter = self.maxRequestsJitter
        configuration.reload = self.reload
        configuration.gracefulTimeout = .seconds(Int64(self.gracefulTimeout))
        return configuration
    }

}

/// A command-line value that parses but cannot be used.
struct UsageError: Error {
    var message: String
}
