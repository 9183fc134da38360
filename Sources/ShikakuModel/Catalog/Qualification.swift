import ShikakuJSON

/// One of the 32 national qualifications: its law, authority, register and the rules of its registrations.
///
/// Values come from `Registry/qualifications.json`, the catalog's one source of
/// truth (see ``Catalog``). Facts the research behind the catalog could not
/// confirm are kept and listed in ``uncertain`` rather than dropped.
///
/// A class: every event and credential carries its qualification, and a struct of two dozen strings and
/// arrays would be retained and released member by member at each copy.
public final class Qualification: Hashable, Sendable, Identifiable {
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

    /// Two qualifications are equal when their facts are: the catalog's entry and a variant of it made from
    /// edited JSON are not.
    public static func == (lhs: Qualification, rhs: Qualification) -> Bool { lhs === rhs || lhs.json == rhs.json }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    // MARK: Decoding (Qualification+JSON.swift has the rest of the catalog's JSON form)

    static let members: Set<String> = [
        "code", "number", "name", "reading", "englishName", "law", "lawNumber", "authority", "registeredBy",
        "register", "registerKeeper", "registrationBody", "applicationRoute", "certificate", "registrationNumber",
        "validity", "periodicReport", "prerequisites", "additions", "dispositions", "relicense", "recordsSex",
        "uncertain",
    ]

    init(decoding entry: JSONReader) throws {
        try entry.rejectUnknownMembers(Qualification.members)
        code = QualificationCode(rawValue: try entry["code"].string())
        number = try entry["number"].int()
        name = try entry["name"].string()
        reading = try entry["reading"].string()
        englishName = try entry["englishName"].string()
        law = try entry["law"].string()
        lawNumber = try entry["lawNumber"].optionalString()
        authority = try entry["authority"].string()
        registeredBy = try entry["registeredBy"].enumeration(OfficeLevel.self)
        register = try entry["register"].string()
        registerKeeper = try entry["registerKeeper"].string()
        registrationBody = try entry["registrationBody"].optionalString()
        applicationRoute = try entry["applicationRoute"].string()
        certificate = try entry["certificate"].string()
        let format = entry["registrationNumber"]
        try format.rejectUnknownMembers(["digits", "prefecturePrefix"])
        registrationNumber = RegistrationNumberFormat(
            digits: try format["digits"].int(), prefecturePrefix: try format["prefecturePrefix"].bool())
        validity = try Validity(decoding: entry["validity"])
        periodicReport = try entry["periodicReport"].isAbsentOrNull ? nil : PeriodicReport(decoding: entry["periodicReport"])
        prerequisites = try entry["prerequisites"].array().map(Requirement.init(decoding:))
        additions = try entry["additions"].array().map(Addition.init(decoding:))
        dispositions = try entry["dispositions"].array().map(DispositionRule.init(decoding:))
        relicense = try entry["relicense"].isAbsentOrNull ? nil : Relicense(decoding: entry["relicense"])
        recordsSex = try entry["recordsSex"].bool()
        uncertain = try entry["uncertain"].array().map { fact in
            try fact.rejectUnknownMembers(["field", "note"])
            return UncertainFact(field: try fact["field"].string(), note: try fact["note"].string())
        }
    }

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
