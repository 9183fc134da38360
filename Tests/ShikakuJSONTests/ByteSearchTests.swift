import ShikakuTestSupport
import Testing

@testable import ShikakuJSON

/// The word-at-a-time search finds the byte a byte-at-a-time loop finds, wherever it lies in the word
/// and whatever bytes come before and after it (bytes near the borrow edges, 0x1F, 0x20, 0x7F, 0x80).
@Suite struct ByteSearchTests {
    static let pool: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x61, 0x01]

    @Test func findsWhatAByteLoopFinds() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &random)
            // Mostly plain letters, so that the special byte falls anywhere in a word.
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<4, using: &random) == 0 ? Self.pool.randomElement(using: &random)! : UInt8.random(in: 0x61...0x7A, using: &random)
            }
            let start = Int.random(in: 0...count, using: &random)
            for stop in [ByteSearch.Stop.quoteOrBackslash, .escaped, .notPlain] {
                let expected = (start..<count).first { index in
                    let byte = bytes[index]
                    return byte == 0x22 || byte == 0x5C || (stop != .quoteOrBackslash && byte < 0x20) || (stop == .notPlain && byte >= 0x80)
                } ?? count
                let found = bytes.withUnsafeBufferPointer { ByteSearch.firstSpecial(in: $0, from: start, stop: stop) }
                #expect(found == expected, "\(bytes) from \(start), stop: \(stop)")
            }
        }
    }
}
