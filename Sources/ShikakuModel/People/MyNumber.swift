public import ShikakuCrypto

/// A My Number (個人番号), held only long enough to derive a ``HolderKey``.
///
/// The number is 特定個人情報: Shikaku never prints, logs, stores or signs it. This
/// type has no way to read the digits back; its description is a fixed mask; its
/// storage is zeroed when the last copy is dropped; and error messages about it
/// never quote the input.
///
/// The twelfth digit is a check digit (番号法施行令 8条, 平成26年総務省令第85号 5条):
/// with the body read left to right as d1…d11 and weights 6 5 4 3 2 7 6 5 4 3 2,
/// `r = Σ dᵢ·wᵢ mod 11`, and the check digit is `0` when `r ≤ 1`, else `11 − r`.
public struct MyNumber: Sendable, CustomStringConvertible {
    private let digits: SecretBytes

    /// Validates a My Number typed or piped in.
    ///
    /// Accepts the twelve digits alone or in the three groups of four printed on the
    /// card, separated by single spaces or hyphens, with surrounding white space
    /// (a trailing newline from a file or a pipe).
    /// - Parameter input: The raw input; the caller should drop its own copy.
    /// - Throws: `input.my-number-characters`, `input.my-number-length` or `input.my-number-check-digit`.
    public init(_ input: SecretBytes) throws(ModelError) {
        // The digits go straight into wiped storage: no other buffer ever holds them.
        var count = 0
        let digits = try input.withUnsafeBytes { (raw) throws(ModelError) -> SecretBytes in
            try SecretBytes(count: 12) { (digits) throws(ModelError) in count = try MyNumber.collectDigits(raw, into: digits) }
        }
        guard count == 12 else {
            throw ModelError(.myNumberLength, "A My Number has 12 digits; the input has \(count). Check it and enter it again.")
        }
        guard digits.withUnsafeBytes({ MyNumber.checkDigit(of: $0) == $0[11] }) else {
            throw ModelError(
                .myNumberCheckDigit,
                "The My Number's check digit does not match its other 11 digits: a digit is mistyped. Check it against the card.")
        }
        self.digits = digits
    }

    private static let holderKeyPrefix = Array("shikaku-holder-v1:".utf8)

    /// The holder key of this number under a registry's secret: HMAC-SHA256(secret, "shikaku-holder-v1:" ‖ digits).
    ///
    /// The prefix keeps these MACs apart from any other use of the same secret. The message is built in wiped
    /// storage too.
    public func holderKey(secret: SecretBytes) -> HolderKey {
        let prefix = MyNumber.holderKeyPrefix
        let message = digits.withUnsafeBytes { number in
            SecretBytes(count: prefix.count + number.count) { message in
                message.copyBytes(from: prefix)
                UnsafeMutableRawBufferPointer(rebasing: message[prefix.count...]).copyMemory(from: number)
            }
        }
        return HolderKey(digest: HMACSHA256.authenticationCode(for: message, key: secret))
    }

    /// A fixed mask: the number itself is never shown.
    public var description: String { "<My Number>" }

    /// The check digit (as an ASCII digit) for the first 11 of `digits` (ASCII digits): the formula of
    /// the 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第8条.
    public static func checkDigit<Digits: RandomAccessCollection<UInt8>>(of digits: Digits) -> UInt8
    where Digits.Index == Int {
        let weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        var sum = 0
        for index in 0..<11 { sum += Int(digits[digits.startIndex + index] - UInt8(ascii: "0")) * weights[index] }
        let remainder = sum % 11
        return UInt8(ascii: "0") + UInt8(remainder <= 1 ? 0 : 11 - remainder)
    }

    /// Copies the digits of `raw` into `digits`, enforcing the accepted layout; returns how many digits it saw.
    private static func collectDigits(_ raw: UnsafeRawBufferPointer, into digits: UnsafeMutableRawBufferPointer)
        throws(ModelError) -> Int
    {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = raw.startIndex
        var end = raw.endIndex
        while start < end, isSpace(raw[start]) { start += 1 }
        while end > start, isSpace(raw[end - 1]) { end -= 1 }
        var count = 0
        var separator: UInt8? = nil
        for index in start..<end {
            let byte = raw[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                if count < 12 { digits[count] = byte }
                count += 1
            } else if (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-")) && (count == 4 || count == 8)
                && separator.map({ $0 == byte }) ?? true && raw[index - 1] != byte
            {
                separator = byte
            } else {
                throw ModelError(
                    .myNumberCharacters,
                    "A My Number is 12 digits, optionally in groups of four separated by spaces or hyphens; "
                        + "the input has another character. Check it and enter it again.")
            }
        }
        return count
    }
}

/// A holder's pseudonymous key: the HMAC of their My Number under the registry's secret.
///
/// It finds every registration of one person across the 32 registers without
/// storing the number. Without the registry's secret it cannot be turned back
/// into a number, even by trying all 10¹¹ valid ones.
public struct HolderKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The HMAC-SHA256 value.
    public let digest: SHA256.Digest

    /// Wraps a digest computed elsewhere (read back from the registry's index).
    public init(digest: SHA256.Digest) { self.digest = digest }

    /// Parses the 64-digit hex form, or returns `nil`.
    public init?(hex: String) {
        guard let digest = SHA256.Digest(hex: hex) else { return nil }
        self.digest = digest
    }

    /// Lowercase hex.
    public var hex: String { digest.hex }

    public var description: String { hex }

    public static func < (lhs: HolderKey, rhs: HolderKey) -> Bool { lhs.digest < rhs.digest }
}
