import SSGI

extension Response {
    /// Starts the SSGI response and returns its body, by the rules `BufferedResponse` applies.
    func send(_ startResponse: StartResponse, errors: ErrorStream) -> ResponseBody {
        BufferedResponse(status: self.status, headers: self.headers, body: self.body)
            .send(startResponse, errors: errors, framework: "Pyramidish")
    }
}
