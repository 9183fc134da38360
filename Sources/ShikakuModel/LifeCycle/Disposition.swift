/// An administrative disposition recorded on a registration.
public struct Disposition: Hashable, Sendable {
    /// What kind it is.
    public var kind: DispositionKind
    /// When it was decided.
    public var date: CalendarDate
    /// The first day of a suspension or ban.
    public var from: CalendarDate?
    /// The last day of a suspension or ban.
    public var until: CalendarDate?
    /// The grounds, in words (処分理由).
    public var reason: String
    /// When a suspension or ban was lifted early, if it was.
    public var liftedOn: CalendarDate?

    /// Creates a disposition.
    public init(
        kind: DispositionKind, date: CalendarDate, from: CalendarDate? = nil, until: CalendarDate? = nil,
        reason: String, liftedOn: CalendarDate? = nil
    ) {
        self.kind = kind
        self.date = date
        self.from = from
        self.until = until
        self.reason = reason
        self.liftedOn = liftedOn
    }

    /// The days a suspension or ban actually covers, after any early lifting; `nil` for other kinds or when
    /// it was lifted before it began.
    public var effectivePeriod: ClosedRange<CalendarDate>? {
        guard kind.isTimeBound, let from, let until else { return nil }
        let end = liftedOn.map { min(until, $0.adding(days: -1)) } ?? until
        return from <= end ? from...end : nil
    }
}

/// Lifting a suspension or ban before its end.
public struct Reinstatement: Hashable, Sendable {
    /// The day practice may resume.
    public var date: CalendarDate
    /// Why it was lifted.
    public var reason: String

    /// Creates a reinstatement.
    public init(date: CalendarDate, reason: String) {
        self.date = date
        self.reason = reason
    }
}

/// 再免許 / 再登録 after a revocation.
public struct Relicensing: Hashable, Sendable {
    /// When the licence is granted again.
    public var date: CalendarDate

    /// Creates a relicensing.
    public init(date: CalendarDate) { self.date = date }
}

/// A new certificate for the same registration.
public struct Reissue: Hashable, Sendable {
    /// Why a new certificate is issued.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        /// 亡失: the certificate was lost (or a digital one leaked); the old one must stop verifying.
        case lost
        /// 破損・汚損: torn or soiled.
        case damaged
        /// 書換え交付: printed details changed.
        case rewrite
    }

    /// When the new certificate is issued.
    public var date: CalendarDate
    /// Why.
    public var reason: Reason

    /// Creates a reissue.
    public init(date: CalendarDate, reason: Reason) {
        self.date = date
        self.reason = reason
    }
}

/// The end of a registration.
public struct Erasure: Hashable, Sendable {
    /// Why a registration is erased.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        /// 死亡 or 失踪宣告, reported by the person obliged under 戸籍法.
        case death
        /// The holder's own application (登録抹消申請).
        case application
    }

    /// When the registration is erased.
    public var date: CalendarDate
    /// Why.
    public var reason: Reason

    /// Creates an erasure.
    public init(date: CalendarDate, reason: Reason) {
        self.date = date
        self.reason = reason
    }
}
