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
        guard index >= 1, index <= forms.count else { return nil }
        let (code, width) = forms[index - 1]
        var rest = key & (1 << 56 - 1)
        // A facts block names every record's registration by its key, so the digits are written in place.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits -> RegistrationID? in
            guard width <= digits.count else { return nil }
            for position in (0..<width).reversed() {
                digits[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            guard rest == 0 else { return nil }
            return RegistrationID(qualification: code, number: String(decoding: UnsafeBufferPointer(rebasing: digits[..<width]), as: UTF8.self))
        }
    }

    /// Each qualification's code and register-number width, by its number less one.
    private static let forms: [(QualificationCode, Int)] = Catalog.all.map { qualification in
        (qualification.code, qualification.registrationNumber.digits + (qualification.registrationNumber.prefecturePrefix ? 2 : 0))
    }

    static func bytes(_ key: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(key)
        return bytes
    }
}
