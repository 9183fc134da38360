/// Hex for test data, where the standards print their values in hex.
public enum Hex {
    /// The bytes that `hex` spells (two lowercase or uppercase digits a byte); traps on bad input, which is a test bug.
    public static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count % 2 == 0, "odd number of hex digits in test data")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(value(digits[$0]) << 4 | value(digits[$0 + 1])) }
    }

    /// Lowercase hex of `bytes`.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [alphabet[Int(byte >> 4)], alphabet[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    private static func value(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: preconditionFailure("not a hex digit in test data")
        }
    }
}
