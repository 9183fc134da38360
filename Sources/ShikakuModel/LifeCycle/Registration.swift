/// The current state of one registration: the fold of its events.
///
/// A value, stored in one box copied on write: a batch copies a registration at every step (read ahead,
/// checked, held until its group is written), and field by field each copy would retain a dozen strings
/// and arrays.
public struct Registration: Hashable, Sendable, CustomReflectable {
    private var box: Box

    /// Its name: qualification and number.
    public var id: RegistrationID { box.fields.id }
    /// The holder's key (from their My Number).
    public var holderKey: HolderKey { box.fields.holderKey }
    /// The holder's recorded items, as last amended.
    public internal(set) var holder: Holder {
        get { box.fields.holder }
        _modify { yield &unique().fields.holder }
    }
    /// What the applicant showed at registration.
    public var evidence: RegistrationEvidence { box.fields.evidence }
    /// The prefecture whose register it is, for prefectural qualifications.
    public var prefecture: Prefecture? { box.fields.prefecture }
    /// 登録年月日.
    public var registeredOn: CalendarDate { box.fields.registeredOn }
    /// Recorded additions, in the order recorded.
    public internal(set) var additions: [RecordedAddition] {
        get { box.fields.additions }
        _modify { yield &unique().fields.additions }
    }
    /// Periodic reports filed, in the order filed.
    public internal(set) var reports: [PeriodicReportFiling] {
        get { box.fields.reports }
        _modify { yield &unique().fields.reports }
    }
    /// Dispositions, in the order decided.
    public internal(set) var dispositions: [Disposition] {
        get { box.fields.dispositions }
        _modify { yield &unique().fields.dispositions }
    }
    /// The card's validity, for qualifications whose card expires.
    public internal(set) var card: ClosedRange<CalendarDate>? {
        get { box.fields.card }
        _modify { yield &unique().fields.card }
    }
    /// Which certificate is current: 1 at registration, one more for each new certificate
    /// (amendment, addition, renewal, re-training, relicensing, reissue). Earlier ones no longer verify.
    public internal(set) var certificateSerial: Int {
        get { box.fields.certificateSerial }
        _modify { yield &unique().fields.certificateSerial }
    }
    /// Reissues, in order.
    public internal(set) var reissues: [Reissue] {
        get { box.fields.reissues }
        _modify { yield &unique().fields.reissues }
    }
    /// When it was revoked, while it stays revoked.
    public internal(set) var revokedOn: CalendarDate? {
        get { box.fields.revokedOn }
        _modify { yield &unique().fields.revokedOn }
    }
    /// When it was licensed again after revocations.
    public internal(set) var relicensedOn: [CalendarDate] {
        get { box.fields.relicensedOn }
        _modify { yield &unique().fields.relicensedOn }
    }
    /// Its end, if it was erased.
    public internal(set) var erasure: Erasure? {
        get { box.fields.erasure }
        _modify { yield &unique().fields.erasure }
    }

    init(_ event: Registering, cardYears: Int?) {
        box = Box(
            Fields(
                id: event.id, holderKey: event.holderKey, holder: event.holder, evidence: event.evidence, prefecture: event.prefecture,
                registeredOn: event.date, card: cardYears.map { event.date...event.date.lastDayOfPeriod(years: $0) }))
    }

    /// A registration with every field given: what a journal record's state block holds, decoded by the store
    /// (the life cycle itself makes registrations only by folding events; the audit checks that the two agree).
    package init(
        id: RegistrationID, holderKey: HolderKey, holder: Holder, evidence: RegistrationEvidence, prefecture: Prefecture?,
        registeredOn: CalendarDate, additions: [RecordedAddition], reports: [PeriodicReportFiling], dispositions: [Disposition],
        card: ClosedRange<CalendarDate>?, certificateSerial: Int, reissues: [Reissue], revokedOn: CalendarDate?,
        relicensedOn: [CalendarDate], erasure: Erasure?
    ) {
        box = Box(
            Fields(
                id: id, holderKey: holderKey, holder: holder, evidence: evidence, prefecture: prefecture, registeredOn: registeredOn,
                additions: additions, reports: reports, dispositions: dispositions, card: card, certificateSerial: certificateSerial,
                reissues: reissues, revokedOn: revokedOn, relicensedOn: relicensedOn, erasure: erasure))
    }

    public static func == (lhs: Registration, rhs: Registration) -> Bool { lhs.box === rhs.box || lhs.box.fields == rhs.box.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

    /// The fields, for `dump` and a failed expectation's message, rather than the box that holds them.
    public var customMirror: Mirror { Mirror(reflecting: box.fields) }

    /// The box, made this value's own before a field changes.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        return box
    }

    private struct Fields: Hashable, Sendable {
        let id: RegistrationID
        let holderKey: HolderKey
        var holder: Holder
        let evidence: RegistrationEvidence
        let prefecture: Prefecture?
        let registeredOn: CalendarDate
        var additions: [RecordedAddition] = []
        var reports: [PeriodicReportFiling] = []
        var dispositions: [Disposition] = []
        var card: ClosedRange<CalendarDate>?
        var certificateSerial = 1
        var reissues: [Reissue] = []
        var revokedOn: CalendarDate?
        var relicensedOn: [CalendarDate] = []
        var erasure: Erasure?
    }

    // Changed only through `unique()`, by the one value that holds it: never while shared between threads.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// Where the registration stands on `date`.
    public func standing(on date: CalendarDate) -> Standing {
        if let erasure, erasure.date <= date { return .erased(erasure) }
        if let revokedOn, revokedOn <= date { return .revoked(since: revokedOn) }
        if let suspension = dispositions.first(where: { $0.effectivePeriod?.contains(date) ?? false }) {
            return .suspended(suspension)
        }
        if let card, date > card.upperBound { return .lapsed(since: card.upperBound.adding(days: 1)) }
        return .active
    }

    /// Whether the registration has ended or been revoked by `date`: nothing but an erasure,
    /// a correction or (after a revocation) a relicensing may follow.
    func isClosed(on date: CalendarDate) -> Bool {
        switch standing(on: date) {
        case .erased, .revoked: true
        case .active, .suspended, .lapsed: false
        }
    }
}

/// Where a registration stands on a given day.
public enum Standing: Hashable, Sendable {
    /// Registered and free to practise.
    case active
    /// A suspension or ban covers the day.
    case suspended(Disposition)
    /// The card's validity has passed (介護支援専門員): the registration remains, but the holder may not
    /// work as one until a new card after 再研修.
    case lapsed(since: CalendarDate)
    /// The licence or registration was revoked.
    case revoked(since: CalendarDate)
    /// The registration was erased.
    case erased(Erasure)

    /// A one-word name: `active`, `suspended`, `lapsed`, `revoked`, `erased`.
    public var name: String {
        switch self {
        case .active: "active"
        case .suspended: "suspended"
        case .lapsed: "lapsed"
        case .revoked: "revoked"
        case .erased: "erased"
        }
    }
}
