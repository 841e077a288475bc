import CSSGI
import Testing

@testable import SSGI

@Suite("SSGIError")
struct SSGIErrorTests {
    @Test("the description is the message")
    func description() {
        let error = SSGIError(code: -3, "the status is malformed")
        #expect(error.description == "the status is malformed")
        #expect(String(describing: error) == "the status is malformed")
        #expect(error.code == -3)
    }

    @Test("an error the SDK detects itself has code 0")
    func defaultCode() {
        #expect(SSGIError("x").code == 0)
    }

    @Test(".disconnected carries SSGI_E_DISCONNECTED (-8)")
    func disconnected() {
        #expect(SSGIError.disconnected.code == -8)
        #expect(SSGIError.disconnected.code == Int32(SSGI_E_DISCONNECTED))
        #expect(SSGIError.disconnected.description.contains("disconnected"))
    }
}
