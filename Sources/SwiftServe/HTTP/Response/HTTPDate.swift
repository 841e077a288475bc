import Glibc

/// Formats the current time for the `Date` header (IMF-fixdate) and the access log (Common Log
/// Format), reformatting at most once a second.
struct HTTPDate {
    private var second = -1
    /// The IMF-fixdate as of the last refresh.
    private(set) var cachedIMF: [UInt8] = []
    private var cachedCommonLog = ""

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`, as bytes ready to write.
    mutating func imfFixdate() -> [UInt8] {
        self.refresh()
        return self.cachedIMF
    }

    /// Formats the time again if the second changed since the last call; returns whether it did.
    @discardableResult
    mutating func refresh() -> Bool {
        self.refresh(now: time(nil))
    }

    /// `06/Nov/1994:08:49:37 +0000`.
    mutating func commonLog() -> String {
        self.refresh()
        return self.cachedCommonLog
    }

    /// Formats `now` (seconds since the epoch) if it is not the second formatted last.
    mutating func refresh(now: time_t) -> Bool {
        var now = now
        guard Int(now) != self.second else { return false }
        self.second = Int(now)
        var parts = tm()
        gmtime_r(&now, &parts)
        let day = Self.twoDigits(Int(parts.tm_mday))
        let month = Self.months[Int(parts.tm_mon)]
        let year = String(Int(parts.tm_year) + 1900)
        let clock =
            "\(Self.twoDigits(Int(parts.tm_hour))):\(Self.twoDigits(Int(parts.tm_min))):\(Self.twoDigits(Int(parts.tm_sec)))"
        self.cachedIMF = Array("\(Self.days[Int(parts.tm_wday)]), \(day) \(month) \(year) \(clock) GMT".utf8)
        self.cachedCommonLog = "\(day)/\(month)/\(year):\(clock) +0000"
        return true
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
