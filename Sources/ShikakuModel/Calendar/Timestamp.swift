import Glibc

/// An instant, to the second, in UTC: when an event was recorded or a credential was signed.
///
/// Written as XML Schema `dateTimeStamp` in UTC with `Z` and second precision
/// (`2025-04-01T09:30:00Z`), which is what Verifiable Credentials and our
/// journal use. Japan has one time zone, UTC+9, with no daylight saving, so the
/// day in Japan is plain arithmetic.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z, leap seconds not counted (POSIX time).
    public let secondsSinceEpoch: Int64

    /// Creates the instant `seconds` after 1970-01-01T00:00:00Z.
    public init(secondsSinceEpoch seconds: Int64) { secondsSinceEpoch = seconds }

    /// The system clock's current time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(secondsSinceEpoch: Int64(spec.tv_sec))
    }

    /// Japan Standard Time's offset from UTC, in seconds.
    public static let japanOffset: Int64 = 9 * 3600

    /// The calendar day this instant falls on in Japan.
    public var dateInJapan: CalendarDate {
        let local = secondsSinceEpoch + Timestamp.japanOffset
        return CalendarDate(daysSinceEpoch: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// The first instant of `date` in Japan (00:00 JST, which is 15:00 UTC the day before).
    public init(startOfDayInJapan date: CalendarDate) {
        secondsSinceEpoch = Int64(date.daysSinceEpoch) * 86_400 - Timestamp.japanOffset
    }

    /// `YYYY-MM-DDThh:mm:ssZ`.
    public var iso: String {
        var bytes: [UInt8] = []
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDThh:mm:ssZ` to `bytes` (a year past 9999 keeps all its digits).
    public func appendISO(to bytes: inout [UInt8]) { withISO { bytes.append(contentsOf: $0) } }

    /// Lends `body` the `YYYY-MM-DDThh:mm:ssZ` form, formed in place: every journal record and Merkle leaf
    /// carries a time, and no array need be made for it. Not generic, so that other modules call it as it is.
    public func withISO(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let seconds = Int(secondsSinceEpoch - days * 86_400)
        let date = CalendarDate(daysSinceEpoch: Int(days))
        let yearWidth = date.year > 9999 ? String(date.year).utf8.count : 4
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: yearWidth + 16) { text in
            date.withISO { day in _ = UnsafeMutableBufferPointer(rebasing: text[..<day.count]).initialize(fromContentsOf: day) }
            let clock = yearWidth + 6
            (text[clock], text[clock + 3], text[clock + 6], text[clock + 9]) = (UInt8(ascii: "T"), UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "Z"))
            CalendarDate.put(seconds / 3600, width: 2, at: clock + 1, in: text)
            CalendarDate.put(seconds / 60 % 60, width: 2, at: clock + 4, in: text)
            CalendarDate.put(seconds % 60, width: 2, at: clock + 7, in: text)
            body(UnsafeBufferPointer(rebasing: text[..<(clock + 10)]))
        }
    }

    public var description: String { iso }

    /// Parses `YYYY-MM-DDThh:mm:ssZ` exactly (UTC, second precision, as Shikaku writes it).
    /// - Throws: `input.invalid-date` naming `field`.
    public init(iso text: some StringProtocol, field: String = "time") throws(ModelError) {
        let parsed = text.utf8.withContiguousStorageIfAvailable(Timestamp.parse) ?? Array(text.utf8).withUnsafeBufferPointer(Timestamp.parse)
        guard let parsed else {
            // A date that does not exist says so, as a date alone would.
            if text.utf8.count == 20 { _ = try CalendarDate(iso: text.prefix(10), field: field) }
            throw ModelError(.invalidDate, "\(field): \"\(text)\" is not a UTC time; write it as YYYY-MM-DDThh:mm:ssZ")
        }
        self = parsed
    }

    /// The time `bytes` spell, or `nil`; allocates nothing, since replaying a journal parses one a record.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        func number(_ range: Range<Int>) -> Int? { CalendarDate.decimal(bytes, range) }
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
            let day = CalendarDate.parts(UnsafeBufferPointer(rebasing: bytes[..<10])),
            let date = CalendarDate(year: day.year, month: day.month, day: day.day),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return Timestamp(secondsSinceEpoch: Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }
}
