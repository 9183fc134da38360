/// base58btc, the Bitcoin alphabet that multibase prefix `z` names (draft-msporny-base58).
///
/// The bytes are read as one big-endian number written in base 58; each leading zero byte
/// becomes a leading `1`. The long division works on limbs of five base-58 digits (58⁵ < 2³⁰) and
/// four bytes at a time, a twentieth of the steps of digit-by-digit division: every credential's
/// `proofValue` goes through it. Input is capped so hostile text cannot make it slow.
public enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()
    /// 58⁵: one limb of the encoder's number.
    private static let limbBase: UInt64 = 656_356_768

    /// The longest text ``decode(_:)`` accepts.
    public static let maxTextLength = 1024

    /// base58btc of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        var limbs: [UInt32] = []  // base 58⁵, least significant first
        limbs.reserveCapacity(bytes.count * 138 / 500 + 2)
        var position = zeros
        while position < bytes.count {
            let take = min(4, bytes.count - position)
            var carry: UInt64 = 0
            for byte in bytes[position..<position + take] { carry = carry << 8 | UInt64(byte) }
            let shift = UInt64(take * 8)
            for index in limbs.indices {
                // A limb shifted 32 bits is below 2⁶², and the carry below 2³³: the sum fits, and a carry
                // from it is again below 2³³.
                let value = UInt64(limbs[index]) << shift + carry
                limbs[index] = UInt32(value % limbBase)
                carry = value / limbBase
            }
            while carry > 0 {
                limbs.append(UInt32(carry % limbBase))
                carry /= limbBase
            }
            position += take
        }
        var digits: [UInt8] = []  // least significant first
        digits.reserveCapacity(limbs.count * 5)
        for limb in limbs {
            var value = limb
            for _ in 0..<5 {
                digits.append(UInt8(value % 58))
                value /= 58
            }
        }
        while digits.last == 0 { digits.removeLast() }
        var text = [UInt8](repeating: alphabet[0], count: zeros)
        text.reserveCapacity(zeros + digits.count)
        for digit in digits.reversed() { text.append(alphabet[Int(digit)]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes `text` spells in base58btc.
    /// - Throws: `crypto.invalid-encoding` for a character outside the alphabet or text over ``maxTextLength``.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        let characters = Array(text.utf8)
        guard characters.count <= maxTextLength else {
            throw CryptoError(.invalidEncoding, "base58 text longer than \(maxTextLength) characters")
        }
        let ones = characters.prefix { $0 == alphabet[0] }.count
        var limbs: [UInt32] = []  // base 2³², least significant first
        var position = ones
        while position < characters.count {
            let take = min(5, characters.count - position)
            var carry: UInt64 = 0
            var scale: UInt64 = 1
            for character in characters[position..<position + take] {
                guard character < 128, case let value = values[Int(character)], value >= 0 else {
                    throw CryptoError(.invalidEncoding, "'\(Unicode.Scalar(character))' is not a base58btc character")
                }
                carry = carry * 58 + UInt64(value)
                scale *= 58
            }
            for index in limbs.indices {
                let value = UInt64(limbs[index]) * scale + carry
                limbs[index] = UInt32(truncatingIfNeeded: value)
                carry = value >> 32
            }
            while carry > 0 {
                limbs.append(UInt32(truncatingIfNeeded: carry))
                carry >>= 32
            }
            position += take
        }
        var bytes: [UInt8] = []  // least significant first
        bytes.reserveCapacity(limbs.count * 4)
        for limb in limbs {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: limb >> UInt32(shift))) }
        }
        while bytes.last == 0 { bytes.removeLast() }
        return [UInt8](repeating: 0, count: ones) + bytes.reversed()
    }
}
