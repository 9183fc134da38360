/// Something that happens to a registration. A registration's state is the fold of its events.
///
/// Each event carries its effective date, the calendar day in Japan it takes
/// effect (which may differ from when it was recorded). ``LifeCycle/check(_:against:context:)``
/// says whether the law and the registration's state allow it; ``LifeCycle/apply(_:to:)``
/// folds it in.
public enum RegistrationEvent: Hashable, Sendable {
    /// 新規登録 / 免許: a new registration.
    // Boxed: a registration event carries the holder and the evidence, and events are copied often.
    indirect case register(Registering)
    /// 籍訂正 / 登録事項変更: corrections to the holder's recorded items.
    case amend(Amendment)
    /// A recorded addition such as 臨床研修修了 or 喀痰吸引等行為.
    case recordAddition(RecordedAddition)
    /// 介護支援専門員証の更新: a new card after 更新研修, within the old card's validity.
    case renew(CardRenewal)
    /// 再研修 → 証の交付: a new card after the old one lapsed.
    case retrain(CardRenewal)
    /// 医師届 / 業務従事者届: the periodic status report.
    case report(PeriodicReportFiling)
    /// An administrative disposition: 戒告, a suspension, a ban, a revocation.
    case dispose(Disposition)
    /// Lifting a suspension or ban before its end.
    case reinstate(Reinstatement)
    /// 再免許 / 再登録 after a revocation.
    case relicense(Relicensing)
    /// 再交付 / 書換え交付: a new certificate; the one before stops verifying.
    case reissue(Reissue)
    /// 登録抹消 / 消除: on death or on application.
    case erase(Erasure)

    /// The day the event takes effect.
    public var date: CalendarDate {
        switch self {
        case .register(let event): event.date
        case .amend(let event): event.date
        case .recordAddition(let event): event.date
        case .renew(let event), .retrain(let event): event.date
        case .report(let event): event.filedOn
        case .dispose(let event): event.date
        case .reinstate(let event): event.date
        case .relicense(let event): event.date
        case .reissue(let event): event.date
        case .erase(let event): event.date
        }
    }

    /// A short name for people and for the journal: `register`, `amend`, ….
    /// Every ``kind``.
    public static let kinds: Set<String> = [
        "register", "amend", "record-addition", "renew", "retrain", "report", "dispose", "reinstate", "relicense", "reissue", "erase",
    ]

    public var kind: String {
        switch self {
        case .register: "register"
        case .amend: "amend"
        case .recordAddition: "record-addition"
        case .renew: "renew"
        case .retrain: "retrain"
        case .report: "report"
        case .dispose: "dispose"
        case .reinstate: "reinstate"
        case .relicense: "relicense"
        case .reissue: "reissue"
        case .erase: "erase"
        }
    }
}

/// A new registration.
public struct Registering: Hashable, Sendable {
    /// The registration's name, with the number the register assigned.
    public var id: RegistrationID
    /// The holder's key (from their My Number).
    public var holderKey: HolderKey
    /// The holder's recorded items.
    public var holder: Holder
    /// What the applicant showed.
    public var evidence: RegistrationEvidence
    /// The prefecture whose register it is, for prefectural qualifications.
    public var prefecture: Prefecture?
    /// The registration date (登録年月日).
    public var date: CalendarDate

    /// Creates a registration event.
    public init(
        id: RegistrationID, holderKey: HolderKey, holder: Holder, evidence: RegistrationEvidence,
        prefecture: Prefecture?, date: CalendarDate
    ) {
        self.id = id
        self.holderKey = holderKey
        self.holder = holder
        self.evidence = evidence
        self.prefecture = prefecture
        self.date = date
    }
}

/// Corrections to the holder's recorded items; `nil` members stay as they are.
public struct Amendment: Hashable, Sendable {
    /// The new 氏名.
    public var name: String?
    /// The new reading.
    public var nameKana: String?
    /// A change to the former surname kept beside the name: `.some(nil)` removes it.
    public var formerSurname: String??
    /// A corrected birth date.
    public var birthDate: CalendarDate?
    /// A corrected 性別.
    public var sex: Sex?
    /// When the change takes effect.
    public var date: CalendarDate

    /// Creates an amendment.
    public init(
        name: String? = nil, nameKana: String? = nil, formerSurname: String?? = nil, birthDate: CalendarDate? = nil,
        sex: Sex? = nil, date: CalendarDate
    ) {
        self.name = name
        self.nameKana = nameKana
        self.formerSurname = formerSurname
        self.birthDate = birthDate
        self.sex = sex
        self.date = date
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool { name == nil && nameKana == nil && formerSurname == nil && birthDate == nil && sex == nil }
}

/// An addition the register records, such as 臨床研修修了.
public struct RecordedAddition: Hashable, Sendable {
    /// The addition's code in the catalog: `clinical-training`.
    public var code: String
    /// When it was completed.
    public var date: CalendarDate

    /// Creates a recorded addition.
    public init(code: String, date: CalendarDate) {
        self.code = code
        self.date = date
    }
}

/// A new card after training: 更新研修 for a renewal, 再研修 after a lapse.
public struct CardRenewal: Hashable, Sendable {
    /// When the new card is granted.
    public var date: CalendarDate
    /// When the training was completed.
    public var trainingCompletedOn: CalendarDate

    /// Creates a card renewal.
    public init(date: CalendarDate, trainingCompletedOn: CalendarDate) {
        self.date = date
        self.trainingCompletedOn = trainingCompletedOn
    }
}

/// A periodic status report (医師届, 業務従事者届).
public struct PeriodicReportFiling: Hashable, Sendable {
    /// The reporting year: the status at 31 December of this year is reported.
    public var year: Int
    /// When it was filed.
    public var filedOn: CalendarDate
    /// Whether the holder was practising on the reporting day.
    public var practising: Bool
    /// The prefecture of the workplace (就業地), when practising.
    public var workplace: Prefecture?

    /// Creates a report filing.
    public init(year: Int, filedOn: CalendarDate, practising: Bool, workplace: Prefecture?) {
        self.year = year
        self.filedOn = filedOn
        self.practising = practising
        self.workplace = workplace
    }
}
