/// A day in the Gregorian calendar, as Japanese registers record dates: no time, no zone.
///
/// Registers, dispositions and certificates all speak of calendar days in Japan
/// (registration date, suspension from / until, card valid until). Instants, such
/// as when an event was recorded, are ``Timestamp``s; ``Timestamp/dateInJapan``
/// turns one into the day it was in Japan.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1 or later.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to the month's length.
    public let day: Int

    /// Creates a date, or returns `nil` if that day does not exist (2025-02-29, 2025-13-01).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (ISO 8601 calendar date, exactly that form).
    /// - Throws: `input.invalid-date` naming `field` when the text is not of that form or the day does not exist.
    public init(iso text: some StringProtocol, field: String = "date") throws(ModelError) {
        // Read in place, not copied out: a registration's history is full of dates, parsed whenever it is read.
        guard
            let parts = text.utf8.withContiguousStorageIfAvailable(CalendarDate.parts)
                ?? Array(text.utf8).withUnsafeBufferPointer(CalendarDate.parts)
        else {
            throw ModelError(.invalidDate, "\(field): \"\(text)\" is not a date; write it as YYYY-MM-DD, e.g. 2025-04-01")
        }
        guard let date = CalendarDate(year: parts.year, month: parts.month, day: parts.day) else {
            throw ModelError(.invalidDate, "\(field): \(text) does not exist in the calendar")
        }
        self = date
    }

    /// The year, month and day `bytes` spell as `YYYY-MM-DD` (whether the day exists is not asked), or `nil`.
    static func parts(_ bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = decimal(bytes, 0..<4), let month = decimal(bytes, 5..<7), let day = decimal(bytes, 8..<10)
        else { return nil }
        return (year, month, day)
    }

    /// The value of the decimal digits at `range` of `bytes`, or `nil` if any is not a digit.
    static func decimal(_ bytes: some RandomAccessCollection<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for offset in range {
            let byte = bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        // Written digit by digit into one buffer: every record and credential carries dates.
        var bytes: [UInt8] = []
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD` (years past 9999, only reachable by date arithmetic, keep all their digits).
    public func appendISO(to bytes: inout [UInt8]) { withISO { bytes.append(contentsOf: $0) } }

    /// Lends `body` the `YYYY-MM-DD` form, formed in place: records and credentials carry dates, and no
    /// array need be made for them. Not generic, so that other modules call it as it is.
    public func withISO(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let yearWidth = year > 9999 ? String(year).utf8.count : 4
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: yearWidth + 6) { text in
            CalendarDate.put(year, width: yearWidth, at: 0, in: text)
            text[yearWidth] = UInt8(ascii: "-")
            CalendarDate.put(month, width: 2, at: yearWidth + 1, in: text)
            text[yearWidth + 3] = UInt8(ascii: "-")
            CalendarDate.put(day, width: 2, at: yearWidth + 4, in: text)
            body(UnsafeBufferPointer(rebasing: text[..<(yearWidth + 6)]))
        }
    }

    /// Writes the last `width` decimal digits of `value` (years are 1 or later), zero-padded, at `start`.
    static func put(_ value: Int, width: Int, at start: Int, in text: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for position in (start..<start + width).reversed() {
            text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whether `year` has a 29th of February.
    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// The number of days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension CalendarDate {
    /// Days since 1970-01-01 (negative before it).
    ///
    /// Howard Hinnant's `days_from_civil`: shifting the year to start in March puts
    /// the leap day last, so each 400-year era has the same shape.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01 (Hinnant's `civil_from_days`).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + count) }

    /// The number of days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// The same day `count` years later; the 29th of February becomes the 28th in a common year.
    public func adding(years count: Int) -> CalendarDate {
        let target = year + count
        return CalendarDate(year: target, month: month, day: min(day, CalendarDate.daysIn(month: month, year: target)))
            ?? self
    }

    /// The same day `count` months later; a day the target month lacks becomes its last day.
    public func adding(months count: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + count
        let (y, m) = (index / 12, index % 12 + 1)
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y))) ?? self
    }

    /// The last day of a period of `count` years that starts on `self`, counted as 民法 143条 counts.
    ///
    /// A period in years ends on the day before the day that corresponds to its
    /// start; when that month has no such day, it ends on the month's last day.
    /// A card issued on 2020-04-01 for 5 years is valid to 2025-03-31; one issued
    /// on 2020-02-29 is valid to 2025-02-28.
    public func lastDayOfPeriod(years count: Int) -> CalendarDate {
        let target = year + count
        guard day <= CalendarDate.daysIn(month: month, year: target) else {
            return CalendarDate(year: target, month: month, day: CalendarDate.daysIn(month: month, year: target)) ?? self
        }
        return (CalendarDate(year: target, month: month, day: day) ?? self).adding(days: -1)
    }
}
