import SSGI
import Testing

/// The status line an `HTTPStatus` gives `startResponse`.
@Suite("HTTPStatus")
struct HTTPStatusTests {
    @Test("the status line is the code and the standard reason phrase, or the one given")
    func statusLine() {
        #expect(HTTPStatus.ok.description == "200 OK")
        #expect(HTTPStatus(500).description == "500 Internal Server Error")
        #expect(HTTPStatus(418).description == "418 Unknown")
        #expect(HTTPStatus(299, reasonPhrase: "Fine").description == "299 Fine")
    }

    @Test("changing the code or the reason phrase changes the status line")
    func changedStatusLine() {
        var status = HTTPStatus.notFound
        status.code = 410
        #expect(status.description == "410 Not Found")
        status.reasonPhrase = "Gone"
        #expect(status.description == "410 Gone")
        #expect(status == HTTPStatus(410))
    }
}
