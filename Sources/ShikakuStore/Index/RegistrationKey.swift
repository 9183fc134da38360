import ShikakuModel

/// A registration's name as one 64-bit number, for the indexes: the qualification's number (1–32) in the
/// top byte, the register number's value below. Register numbers are fixed-width digits, so the number
/// and the digits name each other, and sorting the keys sorts by register, then number.
enum RegistrationKey {
    static func encode(_ id: RegistrationID) -> UInt64? {
        guard let qualification = Catalog.number(of: id.qualification), let number = UInt64(id.number), number < 1 << 56 else {
            return nil
        }
        return UInt64(qualification) << 56 | number
    }

    static func decode(_ key: UInt64) -> RegistrationID? {
        let index = Int(key >> 56)
        guard (1...Catalog.all.count).contains(index) else { return nil }
        let qualification = Catalog.all[index - 1]
        let format = qualification.registrationNumber
        let digits = String(key & (1 << 56 - 1))
        let width = format.digits + (format.prefecturePrefix ? 2 : 0)
        guard digits.count <= width else { return nil }
        return RegistrationID(qualification: qualification.code, number: String(repeating: "0", count: width - digits.count) + digits)
    }

    static func bytes(_ key: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(key)
        return bytes
    }
}
