/// A person as a register records them: the personal items of a registration (登録事項).
///
/// No My Number: holders are linked across registers by their ``HolderKey``.
/// Registers record the 本籍 only as a prefecture (or 国籍 for foreign nationals),
/// and 性別 only where the law asks (see ``Qualification/recordsSex``).
public struct Holder: Hashable, Sendable {
    /// 氏名, as in the family register, family name first: 山田 花子.
    public var name: String
    /// The name's reading in katakana: ヤマダ ハナコ.
    public var nameKana: String
    /// A former surname kept beside the current one (旧姓併記), if the holder asked for it.
    public var formerSurname: String?
    /// 生年月日.
    public var birthDate: CalendarDate
    /// 性別, where the register records it.
    public var sex: Sex?

    /// Creates a holder after checking each item.
    /// - Throws: `input.invalid-name`, `input.invalid-kana` or `input.invalid-birth-date`, naming the item.
    public init(name: String, nameKana: String, formerSurname: String? = nil, birthDate: CalendarDate, sex: Sex? = nil)
        throws(ModelError)
    {
        try Holder.checkName(name, field: "name")
        try Holder.checkKana(nameKana)
        if let formerSurname { try Holder.checkName(formerSurname, field: "formerSurname") }
        guard birthDate.year >= 1900 else {
            throw ModelError(.invalidBirthDate, "birthDate: \(birthDate.iso) is before 1900; check the year")
        }
        self.name = name
        self.nameKana = nameKana
        self.formerSurname = formerSurname
        self.birthDate = birthDate
        self.sex = sex
    }

    /// A holder as a journal record's state block holds it: checked when it was recorded, and guarded since by
    /// the record's checksum (the audit compares the block with the history's own holder, which is checked).
    package init(recorded name: String, nameKana: String, formerSurname: String?, birthDate: CalendarDate, sex: Sex?) {
        self.name = name
        self.nameKana = nameKana
        self.formerSurname = formerSurname
        self.birthDate = birthDate
        self.sex = sex
    }

    /// The name with the former surname beside it, as registers print it: 佐藤 花子（旧姓：山田）.
    public var displayName: String {
        guard let formerSurname else { return name }
        return "\(name)（旧姓：\(formerSurname)）"
    }

    static let maxNameLength = 60

    static func checkName(_ text: String, field: String) throws(ModelError) {
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maxNameLength,
            !scalars.contains(where: { Holder.isControl($0) || $0 == "\u{2028}" || $0 == "\u{2029}" }),
            scalars.first != " ", scalars.last != " "
        else {
            throw ModelError(
                .invalidName,
                "\(field): a name must be 1 to \(maxNameLength) characters, with no control characters or surrounding spaces")
        }
    }

    /// General category Cc, which Unicode fixes as these 65 code points: every name read back from the journal is
    /// checked, and looking the category up costs more than the rest of the check.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }

    static func checkKana(_ text: String) throws(ModelError) {
        // Katakana (U+30A1–U+30FA), the prolonged sound mark and middle dot (U+30FB–U+30FC),
        // and single spaces (ASCII or ideographic) between family and given name.
        let scalars = text.unicodeScalars
        let isKana: (Unicode.Scalar) -> Bool = { (0x30A1...0x30FC).contains($0.value) }
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\u{3000}" }
        guard let first = scalars.first, let last = scalars.last, isKana(first), isKana(last),
            scalars.count <= maxNameLength, scalars.allSatisfy({ isKana($0) || isSpace($0) })
        else {
            throw ModelError(.invalidKana, "nameKana: write the reading in full-width katakana, e.g. ヤマダ ハナコ")
        }
    }
}

/// 性別 as registers record it.
public enum Sex: String, Hashable, Sendable, CaseIterable {
    case female
    case male

    /// The register's word: 女 or 男.
    public var japanese: String { self == .female ? "女" : "男" }

    /// Parses `female`/`male`, `f`/`m`, or 女/男.
    /// - Throws: `input.invalid-sex`.
    public init(parsing text: String) throws(ModelError) {
        switch text.lowercased() {
        case "female", "f", "女": self = .female
        case "male", "m", "男": self = .male
        default: throw ModelError(.invalidSex, "sex: \"\(text)\" is not female or male (or 女 / 男)")
        }
    }
}
