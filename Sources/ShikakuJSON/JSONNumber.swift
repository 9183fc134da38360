/// A JSON number: its value as an IEEE 754 double (I-JSON, RFC 7493) and the lexeme it was written as.
///
/// Equality and hashing follow the value, so `1`, `1.0` and `1e0` are the same
/// number, as they are after canonicalization.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The value.
    public let double: Double
    /// The text it was parsed from, or its canonical form when built in Swift.
    public let lexeme: String

    /// An integer. Exact for |value| ≤ 2⁵³; larger values round as doubles do.
    public init(_ value: Int) {
        double = Double(value)
        lexeme = String(value)
    }

    /// A finite double, or `nil` for NaN and infinities, which JSON cannot hold.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        double = value
        lexeme = ES6Number.format(value)
    }

    /// A number read from input: `lexeme` is the exact text, `value` its correctly rounded value.
    init(parsed value: Double, lexeme: String) {
        double = value
        self.lexeme = lexeme
    }

    /// The exact integer, when the value is integral and within ±2⁵³.
    public var int: Int? {
        guard double.rounded(.towardZero) == double, abs(double) <= 9_007_199_254_740_992 else { return nil }
        return Int(double)
    }

    /// The form ECMAScript's `Number.prototype.toString` gives, which RFC 8785 §3.2.2.3 prescribes.
    public var canonical: String { ES6Number.format(double) }

    public var description: String { lexeme }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.double == rhs.double }

    public func hash(into hasher: inout Hasher) { hasher.combine(double == 0 ? 0 : double) }
}
