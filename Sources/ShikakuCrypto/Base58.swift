/// base58btc, the Bitcoin alphabet that multibase prefix `z` names (draft-msporny-base58).
///
/// The bytes are read as one big-endian number written in base 58; each leading zero byte
/// becomes a leading `1`. The quadratic long division is fine for what Shikaku encodes
/// (34-byte keys, 64-byte signatures); input is capped so hostile text cannot make it slow.
public enum Base58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    /// The longest text ``decode(_:)`` accepts.
    public static let maxTextLength = 1024

    /// base58btc of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        var digits: [UInt8] = []  // base-58 digits, least significant first
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
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
        var bytes: [UInt8] = []  // least significant first
        for character in characters[ones...] {
            guard character < 128, case let value = values[Int(character)], value >= 0 else {
                throw CryptoError(.invalidEncoding, "'\(Unicode.Scalar(character))' is not a base58btc character")
            }
            var carry = Int(value)
            for index in bytes.indices {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: ones) + bytes.reversed()
    }
}
