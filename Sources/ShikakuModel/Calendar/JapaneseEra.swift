/// The Japanese era (元号) a date falls in, for showing dates to people as registers print them.
///
/// Eras since the Gregorian calendar was adopted (明治6年 = 1873); each begins on
/// the day its emperor acceded (大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
/// 令和 2019-05-01). The first year of an era is written 元年.
public struct JapaneseEra: Hashable, Sendable {
    /// The era's name, such as 令和.
    public let name: String
    /// The era's name in romaji, such as Reiwa.
    public let romanized: String
    /// The first day of the era.
    public let start: CalendarDate

    /// The eras, latest first.
    public static let all: [JapaneseEra] = [
        JapaneseEra(name: "令和", romanized: "Reiwa", start: CalendarDate(year: 2019, month: 5, day: 1)),
        JapaneseEra(name: "平成", romanized: "Heisei", start: CalendarDate(year: 1989, month: 1, day: 8)),
        JapaneseEra(name: "昭和", romanized: "Showa", start: CalendarDate(year: 1926, month: 12, day: 25)),
        JapaneseEra(name: "大正", romanized: "Taisho", start: CalendarDate(year: 1912, month: 7, day: 30)),
        JapaneseEra(name: "明治", romanized: "Meiji", start: CalendarDate(year: 1868, month: 1, day: 25)),
    ]

    private init(name: String, romanized: String, start: CalendarDate?) {
        guard let start else { preconditionFailure("era table holds an impossible date") }
        self.name = name
        self.romanized = romanized
        self.start = start
    }

    /// The era `date` falls in, or `nil` before the Gregorian calendar's adoption in Japan (1873-01-01).
    public static func of(_ date: CalendarDate) -> JapaneseEra? {
        guard date.year >= 1873 else { return nil }
        return all.first { $0.start <= date }
    }
}

extension CalendarDate {
    /// The date as a Japanese reader expects it: 令和7年4月1日, with 元年 for an era's first year.
    /// Dates before 1873 fall back to the Western year (1850年1月1日).
    public var japanese: String {
        guard let era = JapaneseEra.of(self) else { return "\(year)年\(month)月\(day)日" }
        let eraYear = year - era.start.year + 1
        return "\(era.name)\(eraYear == 1 ? "元" : String(eraYear))年\(month)月\(day)日"
    }
}
