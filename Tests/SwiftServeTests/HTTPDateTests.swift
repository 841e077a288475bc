import Foundation
import Testing

@testable import SwiftServe

/// The Date header (IMF-fixdate) and the access log's time (Common Log Format).
@Suite("HTTPDate")
struct HTTPDateTests {
    static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = format
        return formatter
    }

    /// What `format` gives for every whole second from `start` to now.
    static func expected(_ format: String, since start: Date) -> Set<String> {
        let formatter = self.formatter(format)
        let first = start.timeIntervalSince1970.rounded(.down)
        let last = Date().timeIntervalSince1970.rounded(.down)
        return Set(
            stride(from: first, through: last, by: 1).map { formatter.string(from: Date(timeIntervalSince1970: $0)) })
    }

    @Test("imfFixdate has the IMF-fixdate shape")
    func imfShape() throws {
        var date = HTTPDate()
        let text = String(decoding: date.imfFixdate(), as: UTF8.self)
        let shape = try Regex(
            #"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$"#
        )
        #expect(text.wholeMatch(of: shape) != nil, "\(text)")
    }

    @Test("commonLog has the Common Log Format shape")
    func commonLogShape() throws {
        var date = HTTPDate()
        let text = date.commonLog()
        let shape = try Regex(
            #"^\d{2}/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{4}:\d{2}:\d{2}:\d{2} \+0000$"#)
        #expect(text.wholeMatch(of: shape) != nil, "\(text)")
    }

    @Test("both formats give the current time in GMT")
    func currentTime() {
        let start = Date()
        var date = HTTPDate()
        let imf = String(decoding: date.imfFixdate(), as: UTF8.self)
        let clf = date.commonLog()
        #expect(Self.expected("EEE, dd MMM yyyy HH:mm:ss 'GMT'", since: start).contains(imf), "\(imf)")
        #expect(Self.expected("dd/MMM/yyyy:HH:mm:ss '+0000'", since: start).contains(clf), "\(clf)")
    }
}
