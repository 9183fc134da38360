/// Finds the bytes that end or complicate a JSON string, eight at a time: strings are most of a record's
/// bytes, and a byte-at-a-time loop spends about a nanosecond on each.
enum ByteSearch {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Which bytes a search stops at: always `"` and `\`.
    enum Stop {
        /// Only those: the end of a string being skipped.
        case quoteOrBackslash
        /// Also control characters: what a string written out must escape.
        case escaped
        /// Also control characters and non-ASCII bytes: what keeps a string from being used as it is read.
        case notPlain
    }

    /// The index of the first byte in `bytes` from `start` that `stop` names; `bytes.count` if there is none
    /// (or `start`, if that is past the end).
    static func firstSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, stop: Stop) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                var found = zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
                // Below 0x20 or from 0x80: the lowest flagged byte is exact, which is the one taken.
                if stop != .quoteOrBackslash { found |= (word &- ones &* 0x20) & ~word & highs }
                if stop == .notPlain { found |= word & highs }
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (stop != .quoteOrBackslash && byte < 0x20)
                || (stop == .notPlain && byte >= 0x80)
            {
                return index
            }
            index += 1
        }
        return index
    }

    /// The high bit set in each byte of `word` that is zero (and perhaps in bytes above the lowest such
    /// byte, through the borrow: only the lowest is exact).
    private static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }
}
