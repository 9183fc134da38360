import ShikakuCrypto

/// A Merkle tree held as its right edge only: enough to compute the root at any size while leaves are
/// added one by one, and to emit the stored hashes in the order ``HashStore`` writes them.
struct MerkleAccumulator {
    /// Leaves added.
    private(set) var size: UInt64 = 0
    /// The hash of the complete subtree pending at each level (valid where `size`'s bit is set).
    private var frontier: [SHA256.Digest] = []

    /// Adds a leaf; returns the hashes a ``HashStore`` stores for it, in order.
    @discardableResult
    mutating func append(leafHash: SHA256.Digest) -> [SHA256.Digest] {
        var stored = [leafHash]
        var hash = leafHash
        var level = 0
        var n = size
        while n & 1 == 1 {
            hash = Merkle.nodeHash(frontier[level], hash)
            stored.append(hash)
            n >>= 1
            level += 1
        }
        if frontier.count <= level { frontier.append(hash) } else { frontier[level] = hash }
        size += 1
        return stored
    }

    /// The root of the tree so far (RFC 9162 MTH).
    var root: SHA256.Digest {
        guard size > 0 else { return Merkle.emptyRoot }
        var result: SHA256.Digest?
        for level in 0..<frontier.count where size >> level & 1 == 1 {
            result = result.map { Merkle.nodeHash(frontier[level], $0) } ?? frontier[level]
        }
        return result ?? Merkle.emptyRoot
    }
}
