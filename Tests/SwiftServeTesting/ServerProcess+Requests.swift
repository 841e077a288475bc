extension ServerProcess {
    /// Sends one HTTP/1.1 request on a new connection and reads the response.
    public func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> RawResponse {
        let client = try RawHTTPClient(port: self.port, timeout: 30)
        return try client.exchange(method, target, headers: headers, body: body)
    }

    /// Sends a JSON body to `target` on a new connection.
    public func post(json: String, to target: String) throws -> RawResponse {
        try self.request("POST", target, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    /// Whether the SSGI validator reported no violation so far.
    public var validatorIsSilent: Bool { !self.log.contains("SSGI validation failed") }
}
