/// Whether a qualification's registration, or its card, expires.
public enum Validity: Hashable, Sendable {
    /// Valid for life once registered (all but 介護支援専門員).
    case permanent
    /// A card valid for a number of years, renewed after training (介護支援専門員証, 介護保険法69条の7).
    case renewable(Renewal)

    /// How a renewable card is renewed.
    public struct Renewal: Hashable, Sendable {
        /// Years a card is valid: 5.
        public let years: Int
        /// How many months before expiry renewal applications open: 12.
        public let opensMonthsBefore: Int
        /// The training renewal needs: 更新研修.
        public let training: String
        /// The training that brings a fresh card after a lapse: 再研修.
        public let afterLapse: String
        /// The article setting the validity.
        public let article: String?
        /// The article on renewal.
        public let renewalArticle: String?
    }

    /// The renewal rule, for a renewable qualification.
    public var renewal: Renewal? {
        if case .renewable(let renewal) = self { return renewal }
        return nil
    }
}

/// A periodic status report holders must file (医師届, 業務従事者届).
public struct PeriodicReport: Hashable, Sendable {
    /// The report's name: 医師届.
    public let name: String
    /// Every how many years: 2 (the status at 31 December of even years).
    public let everyYears: Int
    /// The day whose status is reported, `MM-DD`: `12-31`.
    public let asOf: String
    /// The filing deadline in the next year, `MM-DD`: `01-15`.
    public let dueBy: String
    /// Whether only holders who are practising must file (the nurses' 業務従事者届).
    public let whilePractisingOnly: Bool
    /// The article imposing it.
    public let article: String?

    /// Whether `year` is a reporting year (a multiple of ``everyYears``: 2024, 2026, …).
    public func isReportingYear(_ year: Int) -> Bool { year % everyYears == 0 }

    /// The day of `year` whose status is reported (``asOf``: 2024-12-31), or `nil` if ``asOf`` names no day of
    /// that year.
    public func statusDay(in year: Int) -> CalendarDate? { PeriodicReport.day(asOf, in: year) }

    /// The last day to file `year`'s report: ``dueBy`` in the next year (2025-01-15), or `nil` if it names no
    /// day of that year.
    public func deadline(for year: Int) -> CalendarDate? { PeriodicReport.day(dueBy, in: year + 1) }

    /// The day `monthDay` (`MM-DD`) of `year`.
    static func day(_ monthDay: String, in year: Int) -> CalendarDate? {
        let parts = monthDay.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let month = Int(parts[0]), let day = Int(parts[1]) else {
            return nil
        }
        return CalendarDate(year: year, month: month, day: day)
    }
}

/// Something the register records on a registration after the fact, such as 臨床研修修了.
public struct Addition: Hashable, Sendable {
    /// A stable code: `clinical-training`, `reeducation-training`, `suction`.
    public let code: String
    /// Its name in the register: 臨床研修修了.
    public let name: String
    /// The least number of years after registration before it can be completed (臨床研修: 2 for 医師).
    public let minYears: Int?
    /// The article behind it.
    public let article: String?
}

/// Whether and when a holder whose registration was revoked may be licensed again.
public struct Relicense: Hashable, Sendable {
    /// The procedure's name: 再免許, 再登録.
    public let name: String
    /// Years that must pass after revocation, if the law sets them.
    public let waitYears: Int?
    /// The article allowing it.
    public let article: String?
}
