import Testing

@testable import ShikakuModel

@Suite struct CalendarDateTests {
    @Test func parsesAndFormatsISODates() throws {
        let date = try CalendarDate(iso: "2025-04-01")
        #expect((date.year, date.month, date.day) == (2025, 4, 1))
        #expect(date.iso == "2025-04-01")
        #expect(try CalendarDate(iso: "0999-01-09").iso == "0999-01-09")
        // Date arithmetic can pass year 9999: the year keeps all its digits, in a date and in a time.
        let far = CalendarDate(daysSinceEpoch: 3_800_000)
        let spelled = "\(far.year)-" + [far.month, far.day].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: "-")
        #expect(far.year > 9999 && far.iso == spelled)
        #expect(Timestamp(secondsSinceEpoch: Int64(far.daysSinceEpoch) * 86_400 + 3_661).iso == spelled + "T01:01:01Z")
        var lent: [UInt8] = []
        far.withISO { lent = Array($0) }
        #expect(lent == Array(spelled.utf8))
    }

    @Test(arguments: ["2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-4-1", "20250401", "2025/04/01",
        "２０２５-04-01", "2025-04-01 ", ""])
    func rejectsImpossibleOrMalformedDates(_ text: String) {
        #expect(throws: ModelError(.invalidDate, "")) { try CalendarDate(iso: text) }
    }

    @Test func leapYears() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
    }

    @Test func dayCountsRoundTripAcrossCenturies() {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)?.daysSinceEpoch == 11_017)
        #expect(CalendarDate(year: 1969, month: 12, day: 31)?.daysSinceEpoch == -1)
        var previous = CalendarDate(daysSinceEpoch: -40_000)
        for day in -39_999...60_000 {
            let date = CalendarDate(daysSinceEpoch: day)
            #expect(date.daysSinceEpoch == day)
            #expect(previous < date)
            #expect(CalendarDate(year: date.year, month: date.month, day: date.day) == date)
            previous = date
        }
    }

    /// 民法143条: a period of years ends the day before the corresponding day, or at the month's end.
    @Test func periodsInYearsEndAsTheCivilCodeCounts() throws {
        #expect(try CalendarDate(iso: "2020-04-01").lastDayOfPeriod(years: 5) == CalendarDate(iso: "2025-03-31"))
        #expect(try CalendarDate(iso: "2020-02-29").lastDayOfPeriod(years: 5) == CalendarDate(iso: "2025-02-28"))
        #expect(try CalendarDate(iso: "2020-02-29").lastDayOfPeriod(years: 4) == CalendarDate(iso: "2024-02-28"))
        #expect(try CalendarDate(iso: "2021-01-01").lastDayOfPeriod(years: 1) == CalendarDate(iso: "2021-12-31"))
    }

    @Test func addingMonthsAndYearsClampsToTheMonthsEnd() throws {
        #expect(try CalendarDate(iso: "2025-03-31").adding(months: -1) == CalendarDate(iso: "2025-02-28"))
        #expect(try CalendarDate(iso: "2025-01-15").adding(months: -13) == CalendarDate(iso: "2023-12-15"))
        #expect(try CalendarDate(iso: "2024-02-29").adding(years: 1) == CalendarDate(iso: "2025-02-28"))
    }
}

@Suite struct TimestampTests {
    @Test func formatsAndParsesUTC() throws {
        let time = try Timestamp(iso: "2025-04-01T09:30:05Z")
        #expect(time.iso == "2025-04-01T09:30:05Z")
        #expect(Timestamp(secondsSinceEpoch: 0).iso == "1970-01-01T00:00:00Z")
        #expect(Timestamp(secondsSinceEpoch: -1).iso == "1969-12-31T23:59:59Z")
    }

    @Test(arguments: ["2025-04-01T09:30:05", "2025-04-01T24:00:00Z", "2025-04-01T09:60:00Z", "2025-04-01 09:30:05Z",
        "2025-02-30T00:00:00Z", "2025-04-01T09:30:05+09:00"])
    func rejectsOtherForms(_ text: String) {
        #expect(throws: ModelError(.invalidDate, "")) { try Timestamp(iso: text) }
    }

    @Test func aTimeOnADayThatDoesNotExistSaysSo() {
        let error = #expect(throws: ModelError.self) { try Timestamp(iso: "2025-02-30T00:00:00Z", field: "time") }
        #expect(error?.message.contains("does not exist in the calendar") == true, "\(String(describing: error))")
    }

    /// Japan is UTC+9: 15:00 UTC is already the next day there.
    @Test func dayInJapan() throws {
        #expect(try Timestamp(iso: "2025-03-31T14:59:59Z").dateInJapan == CalendarDate(iso: "2025-03-31"))
        #expect(try Timestamp(iso: "2025-03-31T15:00:00Z").dateInJapan == CalendarDate(iso: "2025-04-01"))
        let date = try CalendarDate(iso: "2025-04-01")
        #expect(Timestamp(startOfDayInJapan: date).iso == "2025-03-31T15:00:00Z")
    }
}

@Suite struct JapaneseEraTests {
    @Test(arguments: [
        ("2025-04-01", "令和7年4月1日"), ("2019-05-01", "令和元年5月1日"), ("2019-04-30", "平成31年4月30日"),
        ("1989-01-08", "平成元年1月8日"), ("1989-01-07", "昭和64年1月7日"), ("1926-12-25", "昭和元年12月25日"),
        ("1926-12-24", "大正15年12月24日"), ("1912-07-30", "大正元年7月30日"), ("1912-07-29", "明治45年7月29日"),
        ("1873-01-01", "明治6年1月1日"), ("1850-01-01", "1850年1月1日"),
    ])
    func writesDatesInTheirEra(_ iso: String, _ japanese: String) throws {
        #expect(try CalendarDate(iso: iso).japanese == japanese)
    }
}
