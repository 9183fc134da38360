/// The current state of one registration: the fold of its events.
public struct Registration: Hashable, Sendable {
    /// Its name: qualification and number.
    public let id: RegistrationID
    /// The holder's key (from their My Number).
    public let holderKey: HolderKey
    /// The holder's recorded items, as last amended.
    public internal(set) var holder: Holder
    /// What the applicant showed at registration.
    public let evidence: RegistrationEvidence
    /// The prefecture whose register it is, for prefectural qualifications.
    public let prefecture: Prefecture?
    /// 登録年月日.
    public let registeredOn: CalendarDate
    /// Recorded additions, in the order recorded.
    public internal(set) var additions: [RecordedAddition] = []
    /// Periodic reports filed, in the order filed.
    public internal(set) var reports: [PeriodicReportFiling] = []
    /// Dispositions, in the order decided.
    public internal(set) var dispositions: [Disposition] = []
    /// The card's validity, for qualifications whose card expires.
    public internal(set) var card: ClosedRange<CalendarDate>?
    /// Which certificate is current: 1 at registration, one more for each new certificate
    /// (amendment, addition, renewal, re-training, relicensing, reissue). Earlier ones no longer verify.
    public internal(set) var certificateSerial: Int = 1
    /// Reissues, in order.
    public internal(set) var reissues: [Reissue] = []
    /// When it was revoked, while it stays revoked.
    public internal(set) var revokedOn: CalendarDate?
    /// When it was licensed again after revocations.
    public internal(set) var relicensedOn: [CalendarDate] = []
    /// Its end, if it was erased.
    public internal(set) var erasure: Erasure?

    init(_ event: Registering, cardYears: Int?) {
        id = event.id
        holderKey = event.holderKey
        holder = event.holder
        evidence = event.evidence
        prefecture = event.prefecture
        registeredOn = event.date
        card = cardYears.map { event.date...event.date.lastDayOfPeriod(years: $0) }
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
