/// Base64 (RFC 4648 §4), padded, as signed notes and checkpoints write it.
public enum Base64 {
    static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each alphabet's inverse: a character's value, or -1 for one not in it.
    private static let standardValues = values(of: standard)
    private static let urlSafeValues = values(of: urlSafe)

    private static func values(of alphabet: [UInt8]) -> [Int8] {
        var values = [Int8](repeating: -1, count: 256)
        for (index, character) in alphabet.enumerated() { values[Int(character)] = Int8(index) }
        return values
    }

    /// Padded base64 of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String { encode(bytes, alphabet: standard, padded: true) }

    /// The bytes of padded base64 `text`.
    /// - Throws: `crypto.invalid-encoding` for missing padding, stray characters or non-zero trailing bits.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        try decode(text, alphabet: standard, padded: true)
    }

    static func encode(_ bytes: [UInt8], alphabet: [UInt8], padded: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(chunk >> UInt32(shift) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let chunk = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(alphabet[Int(chunk >> 18 & 63)])
            out.append(alphabet[Int(chunk >> 12 & 63)])
            if rest == 2 { out.append(alphabet[Int(chunk >> 6 & 63)]) }
            if padded { out += repeatElement(UInt8(ascii: "="), count: 3 - rest) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String, alphabet: [UInt8], padded: Bool) throws(CryptoError) -> [UInt8] {
        let values = alphabet == standard ? standardValues : alphabet == urlSafe ? urlSafeValues : Base64.values(of: alphabet)
        var characters = Array(text.utf8)
        let name = padded ? "base64" : "base64url"
        if padded {
            guard characters.count % 4 == 0 else {
                throw CryptoError(.invalidEncoding, "\(name) text must be a multiple of 4 characters long, with = padding")
            }
            let padding = characters.suffix(2).reversed().prefix { $0 == UInt8(ascii: "=") }.count
            characters.removeLast(padding)
        } else if characters.count % 4 == 1 {
            throw CryptoError(.invalidEncoding, "\(name) text cannot be \(characters.count) characters long")
        }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in characters {
            let value = values[Int(character)]
            guard value >= 0 else {
                throw CryptoError(.invalidEncoding, "'\(Unicode.Scalar(character))' is not a \(name) character")
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else {
            throw CryptoError(.invalidEncoding, "\(name) text has non-zero bits after its last byte (not canonical)")
        }
        return out
    }
}

/// base64url (RFC 4648 §5) without padding: multibase prefix `u`, Bitstring Status Lists.
public enum Base64URL {
    /// Unpadded base64url of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String { Base64.encode(bytes, alphabet: Base64.urlSafe, padded: false) }

    /// The bytes of unpadded base64url `text`.
    /// - Throws: `crypto.invalid-encoding` for `=`, stray characters or non-zero trailing bits.
    public static func decode(_ text: String) throws(CryptoError) -> [UInt8] {
        try Base64.decode(text, alphabet: Base64.urlSafe, padded: false)
    }
}
