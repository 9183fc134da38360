/// Names one registration across all registers: the qualification's code and the register's number,
/// written `physician:000123` or `care-manager:13000045`.
///
/// Numbers are per register (医籍 and 看護師籍 both have a No. 123), so the code is part of the name.
public struct RegistrationID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The register's qualification.
    public let qualification: QualificationCode
    /// The register's number, digits only.
    public let number: String

    /// Names registration `number` of `qualification`'s register.
    public init(qualification: QualificationCode, number: String) {
        self.qualification = qualification
        self.number = number
    }

    /// Parses `code:number`, checking the code against the catalog and the number against the register's format.
    /// - Throws: `input.invalid-registration-id` or `input.unknown-qualification`.
    public init(parsing text: String) throws(ModelError) {
        // By bytes, not characters: replaying a journal parses one a record.
        guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")), colon != text.startIndex else {
            throw ModelError(
                .invalidRegistrationID,
                "\"\(text)\" is not a registration: write the qualification code, a colon and the number, e.g. physician:000123")
        }
        let code = QualificationCode(rawValue: String(decoding: text.utf8[..<colon], as: UTF8.self))
        let number = String(decoding: text.utf8[text.utf8.index(after: colon)...], as: UTF8.self)
        guard let format = Catalog.numberFormats[code], format.matches(number) else {
            let qualification = try Catalog.qualification(code)
            let format = qualification.registrationNumber
            let shape = format.prefecturePrefix ? "a 2-digit prefecture code and \(format.digits) digits" : "\(format.digits) digits"
            throw ModelError(.invalidRegistrationID, "\"\(number)\" is not a \(qualification.register) number: it has \(shape)")
        }
        self.init(qualification: code, number: number)
    }

    public var description: String { "\(qualification):\(number)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.number == rhs.number && lhs.qualification == rhs.qualification }

    /// The number alone: a batch looks each registration up in several tables for every row, and hashing the
    /// code too hashed two strings for one. Registers that share a number only compare their codes.
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.qualification.rawValue, lhs.number) < (rhs.qualification.rawValue, rhs.number)
    }
}
