/// A Bloom filter of an index run's 32-byte keys, which are digests: it answers "not in the run" for most
/// keys that are not, without the binary search, whose every step in a large run touches another page.
///
/// A batch looks up each row's key to tell a row done before from a new one, and nearly all are new: each
/// lookup searched every request run in turn. The keys are SHA-256 digests, evenly spread, so their own bytes
/// are the filter's hashes (two words of them, combined by double hashing). Ten bits a key and seven probes
/// give about one false "maybe" in a hundred; a "maybe" is then searched as before, so an answer never changes.
struct KeyFilter {
    private var words: [UInt64]
    private let mask: UInt64
    private static let probes: UInt64 = 7
    private static let bitsPerKey = 10

    /// A filter of `count` keys, each of which `key(n)` lends: at least 32 bytes.
    init(count: Int, key: (Int) -> UnsafeRawBufferPointer) {
        var bits = 64
        while bits < count * KeyFilter.bitsPerKey { bits *= 2 }
        words = [UInt64](repeating: 0, count: bits / 64)
        mask = UInt64(bits - 1)
        for index in 0..<count {
            let (first, step) = KeyFilter.hashes(of: key(index))
            for probe in 0..<KeyFilter.probes {
                let bit = (first &+ probe &* step) & mask
                words[Int(bit >> 6)] |= 1 << (bit & 63)
            }
        }
    }

    /// Whether `key` may be among the keys: `false` only for a key that is not.
    func mayContain(_ key: UnsafeRawBufferPointer) -> Bool {
        let (first, step) = KeyFilter.hashes(of: key)
        for probe in 0..<KeyFilter.probes {
            let bit = (first &+ probe &* step) & mask
            if words[Int(bit >> 6)] & 1 << (bit & 63) == 0 { return false }
        }
        return true
    }

    private static func hashes(of key: UnsafeRawBufferPointer) -> (first: UInt64, step: UInt64) {
        precondition(key.count >= 32, "a filtered key is a 32-byte digest")
        // All 32 bytes take part, so keys that share a head (a holder's, or two digests by chance) still differ.
        let first = key.loadUnaligned(fromByteOffset: 0, as: UInt64.self) ^ key.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let step = key.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ key.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        return (first, step | 1)
    }
}
