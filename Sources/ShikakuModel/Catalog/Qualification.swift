/// One of the 32 national qualifications: its law, authority, register and the rules of its registrations.
///
/// Values come from `Registry/qualifications.json`, the catalog's one source of
/// truth (see ``Catalog``). Facts the research behind the catalog could not
/// confirm are kept and listed in ``uncertain`` rather than dropped.
public struct Qualification: Hashable, Sendable, Identifiable {
    /// The stable code, such as `physician`.
    public let code: QualificationCode
    /// Position 1–32 in the Digital Agency's list.
    public let number: Int
    /// The name in Japanese: 医師.
    public let name: String
    /// The name's reading in hiragana: いし.
    public let reading: String
    /// The common English name.
    public let englishName: String
    /// The governing law: 医師法.
    public let law: String
    /// The law's number, such as 昭和23年法律第201号, when known.
    public let lawNumber: String?
    /// Who licenses or registers, as the law says: 厚生労働大臣, 都道府県知事, ….
    public let authority: String
    /// Which kind of office keeps the register in Shikaku.
    public let registeredBy: OfficeLevel
    /// The register's name: 医籍.
    public let register: String
    /// Who keeps the register: 厚生労働省, 都道府県, ….
    public let registerKeeper: String
    /// The designated registration body (指定登録機関) doing the registration work, if any.
    public let registrationBody: String?
    /// Where applications go.
    public let applicationRoute: String
    /// The certificate's name: 医師免許証, 介護支援専門員証, ….
    public let certificate: String
    /// How Shikaku numbers this register's registrations.
    public let registrationNumber: RegistrationNumberFormat
    /// Whether registrations expire and how they are renewed.
    public let validity: Validity
    /// The periodic status report holders must file, if any.
    public let periodicReport: PeriodicReport?
    /// What must hold before registration; all of them.
    public let prerequisites: [Requirement]
    /// Additions the register records on a registration, such as 臨床研修修了.
    public let additions: [Addition]
    /// The dispositions the law allows, in the law's order.
    public let dispositions: [DispositionRule]
    /// Whether and when a revoked holder may be licensed again.
    public let relicense: Relicense?
    /// Whether the register records 性別.
    public let recordsSex: Bool
    /// Facts in this entry that are not confirmed, with what is uncertain about them.
    public let uncertain: [UncertainFact]

    public var id: QualificationCode { code }

    /// The rule for disposition `kind`, or `nil` if this qualification's law does not allow it.
    public func disposition(_ kind: DispositionKind) -> DispositionRule? {
        dispositions.first { $0.kind == kind }
    }

    /// The addition with `code`, or `nil` if this register does not record it.
    public func addition(_ code: String) -> Addition? {
        additions.first { $0.code == code }
    }
}

/// A qualification's stable code, such as `physician` or `care-manager`.
public struct QualificationCode: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Which kind of licensing office keeps a register.
public enum OfficeLevel: String, Hashable, Sendable, CaseIterable {
    /// A ministry or a national body (厚生労働大臣, 財務大臣, the national federations).
    case national
    /// A prefecture (都道府県知事).
    case prefectural
}

/// A fact in a catalog entry that the research behind it could not confirm.
public struct UncertainFact: Hashable, Sendable {
    /// The path of the fact in the entry, such as `certificate` or `dispositions[2]`.
    public let field: String
    /// What is uncertain about it.
    public let note: String
}

/// How Shikaku numbers the registrations of one register.
public struct RegistrationNumberFormat: Hashable, Sendable {
    /// Digits of the running number.
    public let digits: Int
    /// Whether a two-digit prefecture code comes first (介護支援専門員: 8 digits in all).
    public let prefecturePrefix: Bool

    /// The number for the `sequence`-th registration, with `prefecture` first where the format asks for it.
    public func format(sequence: Int, prefecture: Prefecture?) -> String {
        let running = String(sequence)
        let padded = String(repeating: "0", count: max(0, digits - running.count)) + running
        guard prefecturePrefix, let prefecture else { return padded }
        return prefecture.twoDigitCode + padded
    }

    /// Whether `text` has this format's shape (digits only, of the right length).
    public func matches(_ text: String) -> Bool {
        let length = digits + (prefecturePrefix ? 2 : 0)
        return text.utf8.count == length && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
