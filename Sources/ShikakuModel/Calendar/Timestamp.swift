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
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let seconds = Int(secondsSinceEpoch - days * 86_400)
        var bytes: [UInt8] = []
        CalendarDate(daysSinceEpoch: Int(days)).appendISO(to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        CalendarDate.appendDigits(seconds / 3600, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CalendarDate.appendDigits(seconds / 60 % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CalendarDate.appendDigits(seconds % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { iso }

    /// Parses `YYYY-MM-DDThh:mm:ssZ` exactly (UTC, second precision, as Shikaku writes it).
    /// - Throws: `input.invalid-date` naming `field`.
    public init(iso text: some StringProtocol, field: String = "time") throws(ModelError) {
        let bytes = Array(text.utf8)
        let malformed = ModelError(.invalidDate, "\(field): \"\(text)\" is not a UTC time; write it as YYYY-MM-DDThh:mm:ssZ")
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z")
        else { throw malformed }
        let date = try CalendarDate(iso: String(decoding: bytes[0..<10], as: UTF8.self), field: field)
        var clock: [Int] = []
        for start in [11, 14, 17] {
            let pair = bytes[start..<start + 2]
            guard pair.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { throw malformed }
            clock.append(pair.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
        }
        guard clock[0] < 24, clock[1] < 60, clock[2] < 60 else { throw malformed }
        secondsSinceEpoch = Int64(date.daysSinceEpoch) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }
}
