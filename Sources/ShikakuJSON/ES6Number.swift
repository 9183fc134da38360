/// Numbers as ECMAScript's `Number.prototype.toString` writes them, which RFC 8785 §3.2.2.3 adopts.
///
/// With the shortest decimal digits `d` (k of them) that round-trip to the value,
/// and `n` such that the value is 0.d × 10ⁿ (ECMA-262 §6.1.6.1.20):
/// - k ≤ n ≤ 21: the digits and n − k zeros (`1e21` is the first exponential form);
/// - 0 < n ≤ 21: the digits with a point after the n-th;
/// - −6 < n ≤ 0: `0.`, −n zeros, the digits;
/// - otherwise: the first digit, `.` and the rest if any, `e`, the sign and |n − 1|.
/// Zero of either sign is `0`.
public enum ES6Number {
    /// The ECMAScript string for a finite double.
    public static func format(_ value: Double) -> String {
        precondition(value.isFinite, "JSON numbers are finite")
        // Integers below 2⁵³ (every count, offset and index we write) are their own digits.
        if value.rounded(.towardZero) == value && value.magnitude < 9_007_199_254_740_992 { return String(Int(value)) }
        let (digits, n) = shortestDigits(value.magnitude)
        let k = digits.count
        var out: [UInt8] = value < 0 ? [UInt8(ascii: "-")] : []
        if k <= n && n <= 21 {
            out += digits + repeatElement(UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out += digits[..<n] + [UInt8(ascii: ".")] + digits[n...]
        } else if -6 < n && n <= 0 {
            out += Array("0.".utf8) + repeatElement(UInt8(ascii: "0"), count: -n) + digits
        } else {
            out.append(digits[0])
            if k > 1 { out += [UInt8(ascii: ".")] + digits[1...] }
            out += Array((n - 1 < 0 ? "e-" : "e+").utf8) + Array(String((n - 1).magnitude).utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The shortest round-trip digits of a positive double and its exponent n (value = 0.digits × 10ⁿ).
    ///
    /// Swift's `description` already yields the shortest digits that round-trip, and of
    /// those the closest to the exact value (SwiftDtoa), which is what ECMAScript asks for;
    /// only its layout differs, so the digits and exponent are read back out of it.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        let text = Array(value.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(of: UInt8(ascii: "e")) {
            mantissa = text[..<e]
            var sign = 1
            var index = e + 1
            if text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                sign = text[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
            }
            exponent = sign * text[index...].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            digits.append(byte)
            if !seenPoint { integerDigits += 1 }
        }
        var n = integerDigits + exponent
        let leadingZeros = digits.prefix { $0 == UInt8(ascii: "0") }.count
        digits.removeFirst(leadingZeros)
        n -= leadingZeros
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, n)
    }
}
