// The codes of ``ModelError``, grouped by family. Their raw values are stable:
// scripts match on them, and the CLI documents them.

extension ModelError.Code {
    // input.*: the data given is malformed.

    /// A date or time that is not of the accepted form, or does not exist.
    public static let invalidDate = Self(rawValue: "input.invalid-date")
    /// A My Number with characters other than digits and the accepted separators.
    public static let myNumberCharacters = Self(rawValue: "input.my-number-characters")
    /// A My Number that does not have 12 digits.
    public static let myNumberLength = Self(rawValue: "input.my-number-length")
    /// A My Number whose check digit does not match.
    public static let myNumberCheckDigit = Self(rawValue: "input.my-number-check-digit")
    /// A qualification code that is not in the catalog.
    public static let unknownQualification = Self(rawValue: "input.unknown-qualification")
    /// A registration name that is not `code:number` of the register's format.
    public static let invalidRegistrationID = Self(rawValue: "input.invalid-registration-id")
    /// A holder's name that is empty, too long or has control characters.
    public static let invalidName = Self(rawValue: "input.invalid-name")
    /// A reading that is not in katakana.
    public static let invalidKana = Self(rawValue: "input.invalid-kana")
    /// A birth date that cannot be right.
    public static let invalidBirthDate = Self(rawValue: "input.invalid-birth-date")
    /// A 性別 that is not female or male.
    public static let invalidSex = Self(rawValue: "input.invalid-sex")
    /// An item the event needs is missing.
    public static let missingField = Self(rawValue: "input.missing-field")
    /// An item was given that does not apply.
    public static let unexpectedField = Self(rawValue: "input.unexpected-field")
    /// A period that ends before it starts, or starts before it was decided.
    public static let invalidPeriod = Self(rawValue: "input.invalid-period")
    /// An amendment that gives every item as it is already recorded.
    public static let noChange = Self(rawValue: "input.no-change")
    /// A catalog file that does not follow its schema.
    public static let invalidCatalog = Self(rawValue: "input.invalid-catalog")

    // rule.*: the law or the registration's state refuses the event.

    /// The holder already has this registration (or it exists already).
    public static let alreadyRegistered = Self(rawValue: "rule.already-registered")
    /// The event needs a registration that does not exist.
    public static let noRegistration = Self(rawValue: "rule.no-registration")
    /// The event would take effect before the registration.
    public static let beforeRegistration = Self(rawValue: "rule.before-registration")
    /// Evidence dated after the registration.
    public static let evidenceAfterRegistration = Self(rawValue: "rule.evidence-after-registration")
    /// The registration was erased.
    public static let registrationErased = Self(rawValue: "rule.registration-erased")
    /// The registration is revoked.
    public static let registrationRevoked = Self(rawValue: "rule.registration-revoked")
    /// A required examination was not passed.
    public static let prerequisiteExam = Self(rawValue: "rule.prerequisite-exam")
    /// A required training was not completed.
    public static let prerequisiteTraining = Self(rawValue: "rule.prerequisite-training")
    /// A required licence is not held.
    public static let prerequisiteLicence = Self(rawValue: "rule.prerequisite-licence")
    /// The law limits the qualification by 性別.
    public static let prerequisiteSex = Self(rawValue: "rule.prerequisite-sex")
    /// Not enough practice.
    public static let prerequisitePractice = Self(rawValue: "rule.prerequisite-practice")
    /// None of several alternative prerequisites is met.
    public static let prerequisiteUnmet = Self(rawValue: "rule.prerequisite-unmet")
    /// The register does not record that addition.
    public static let additionNotRecorded = Self(rawValue: "rule.addition-not-recorded")
    /// The addition is recorded already.
    public static let additionAlreadyRecorded = Self(rawValue: "rule.addition-already-recorded")
    /// The addition cannot have been completed so soon after registration.
    public static let additionTooEarly = Self(rawValue: "rule.addition-too-early")
    /// The qualification's registrations do not expire.
    public static let notRenewable = Self(rawValue: "rule.not-renewable")
    /// The card expired; renewal is no longer possible.
    public static let renewalAfterExpiry = Self(rawValue: "rule.renewal-after-expiry")
    /// Renewal applications are not open yet.
    public static let renewalTooEarly = Self(rawValue: "rule.renewal-too-early")
    /// The training a new card needs is missing or out of its window.
    public static let renewalTrainingMissing = Self(rawValue: "rule.renewal-training-missing")
    /// The card has not lapsed, so it is renewed rather than re-issued after re-training.
    public static let notLapsed = Self(rawValue: "rule.not-lapsed")
    /// The qualification has no periodic report, or this holder has none to file.
    public static let noReportDuty = Self(rawValue: "rule.no-report-duty")
    /// The year is not a reporting year.
    public static let notAReportingYear = Self(rawValue: "rule.not-a-reporting-year")
    /// The report is filed before the day whose status it reports.
    public static let reportTooEarly = Self(rawValue: "rule.report-too-early")
    /// The report for that year is filed already.
    public static let reportAlreadyFiled = Self(rawValue: "rule.report-already-filed")
    /// The qualification's law does not provide for that disposition.
    public static let dispositionNotAllowed = Self(rawValue: "rule.disposition-not-allowed")
    /// A suspension or ban longer than the law allows.
    public static let suspensionTooLong = Self(rawValue: "rule.suspension-too-long")
    /// A suspension or ban that overlaps another.
    public static let suspensionOverlap = Self(rawValue: "rule.suspension-overlap")
    /// There is no suspension or ban to lift.
    public static let notSuspended = Self(rawValue: "rule.not-suspended")
    /// Relicensing a registration that is not revoked.
    public static let notRevoked = Self(rawValue: "rule.not-revoked")
    /// The law does not provide for relicensing.
    public static let relicenseNotAllowed = Self(rawValue: "rule.relicense-not-allowed")
    /// The waiting period after revocation has not passed.
    public static let relicenseTooEarly = Self(rawValue: "rule.relicense-too-early")
}
