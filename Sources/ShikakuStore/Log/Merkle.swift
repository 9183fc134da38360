import ShikakuCrypto

/// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their verification.
///
/// With SHA-256 (§2.1.1):
///
///     leaf(d)       = SHA-256(0x00 ‖ d)
///     node(l, r)    = SHA-256(0x01 ‖ l ‖ r)
///     MTH({})       = SHA-256("")
///     MTH(D[n])     = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of 2 below n
///
/// The 0x00/0x01 prefixes keep a leaf from being read as a node (second preimages).
public enum Merkle {
    /// The hash of a leaf's data.
    public static func leafHash(_ data: [UInt8]) -> SHA256.Digest { data.withUnsafeBytes { leafHash($0) } }

    /// The hash of a leaf's data.
    public static func leafHash(_ data: UnsafeRawBufferPointer) -> SHA256.Digest {
        var hasher = SHA256.Hasher()
        hasher.update([0x00])
        hasher.update(data)
        return hasher.finalize()
    }

    /// The hash of an interior node.
    public static func nodeHash(_ left: SHA256.Digest, _ right: SHA256.Digest) -> SHA256.Digest {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { buffer in
            buffer[0] = 0x01
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: $0) }
            return SHA256.hash(UnsafeRawBufferPointer(buffer))
        }
    }

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyRoot = SHA256.hash([UInt8]())

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func split(_ n: UInt64) -> UInt64 {
        precondition(n >= 2, "no split point below 2 leaves")
        return 1 << (63 - (n - 1).leadingZeroBitCount)
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves (RFC 9162 §2.1.3.1),
    /// built from `subtree(start, end)`, the hash of leaves [start, end).
    public static func inclusionProof<E: Error>(
        index: UInt64, size: UInt64, subtree: (UInt64, UInt64) throws(E) -> SHA256.Digest
    ) throws(E) -> [SHA256.Digest] {
        precondition(index < size, "leaf \(index) is not in a tree of \(size)")
        var proof: [SHA256.Digest] = []
        var (start, end, target) = (UInt64(0), size, index)
        // PATH(m, D[n]) recurses into the half holding m and appends the other half's hash; walking
        // down and reversing gives the same list, leaf sibling first.
        while end - start > 1 {
            let k = split(end - start)
            if target - start < k {
                proof.append(try subtree(start + k, end))
                end = start + k
            } else {
                proof.append(try subtree(start, start + k))
                start += k
            }
        }
        return proof.reversed()
    }

    /// The consistency proof from the tree of `oldSize` leaves to the tree of `newSize` (RFC 9162 §2.1.4.1).
    public static func consistencyProof<E: Error>(
        from oldSize: UInt64, to newSize: UInt64, subtree: (UInt64, UInt64) throws(E) -> SHA256.Digest
    ) throws(E) -> [SHA256.Digest] {
        precondition(0 < oldSize && oldSize <= newSize, "no consistency proof from \(oldSize) to \(newSize)")
        var proof: [SHA256.Digest] = []
        var (start, end, m, complete) = (UInt64(0), newSize, oldSize, true)
        // SUBPROOF(m, D[n], b), unrolled: each step appends one hash and narrows to one half.
        while m != end - start {
            let k = split(end - start)
            if m <= k {
                proof.append(try subtree(start + k, end))
                end = start + k
            } else {
                proof.append(try subtree(start, start + k))
                start += k
                m -= k
                complete = false
            }
        }
        if !complete { proof.append(try subtree(start, end)) }
        return proof.reversed()
    }

    /// Verifies an inclusion proof (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(
        leafHash: SHA256.Digest, index: UInt64, size: UInt64, proof: [SHA256.Digest], root: SHA256.Digest
    ) -> Bool {
        guard index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Verifies a consistency proof (RFC 9162 §2.1.4.2). A proof from the empty tree is refused: it proves nothing.
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: SHA256.Digest, newRoot: SHA256.Digest, proof: [SHA256.Digest]
    ) -> Bool {
        guard oldSize <= newSize, oldSize > 0 else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }

    /// The root of a tree given `subtree(start, end)`.
    public static func root<E: Error>(size: UInt64, subtree: (UInt64, UInt64) throws(E) -> SHA256.Digest) throws(E)
        -> SHA256.Digest
    {
        size == 0 ? emptyRoot : try subtree(0, size)
    }
}
