extension Environ {
    /// The host and port the client asked for: the Host header, else SERVER_NAME with SERVER_PORT
    /// unless it is the scheme's default (PEP 3333's URL reconstruction).
    public var host: String {
        if let host = self.header("Host"), !host.isEmpty { return host }
        let defaultPort = self.urlScheme == "https" ? "443" : "80"
        let port = self.serverPort
        return port.isEmpty || port == defaultPort ? self.serverName : "\(self.serverName):\(port)"
    }

    /// `scheme://host`.
    public var hostURL: String { "\(self.urlScheme)://\(self.host)" }

    /// Where the application is mounted: `hostURL` followed by SCRIPT_NAME, percent-encoded.
    public var applicationURL: String { self.hostURL + PercentEncoding.encodePath(self.scriptName) }

    /// SCRIPT_NAME and PATH_INFO, percent-encoded: the path of the request as a URL holds it.
    public var path: String { PercentEncoding.encodePath(self.scriptName + self.pathInfo) }

    /// The whole URL of the request, query string included.
    public var url: String {
        self.hostURL + self.path + (self.queryString.isEmpty ? "" : "?" + self.queryString)
    }
}
