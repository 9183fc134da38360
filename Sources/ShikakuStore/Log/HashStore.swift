import Glibc
import ShikakuCrypto

/// The Merkle tree's hashes on disk: every complete subtree's hash, in the order Go's
/// `golang.org/x/mod/sumdb/tlog` stores them, so that any proof needs O(log n) reads.
///
/// Adding leaf n appends its leaf hash and then, for each complete subtree it closes,
/// that subtree's hash: level L's n-th hash sits right after level L+1's (2n+1)-th.
/// The file is derived from the journal: on open it is cut back to whole leaves and
/// extended from the journal when it lags, and it is synced before a checkpoint is
/// signed.
final class HashStore {
    private let files: FileSystem
    private let file: FileHandle
    /// Leaves in the tree.
    private(set) var size: UInt64
    /// Hashes appended but not yet written.
    private var pending: [UInt8] = []
    /// Bytes of hashes written to the file.
    private var written: Int64
    /// The hash of the complete subtree at each level still waiting for its right sibling.
    private var frontier: [SHA256.Digest] = []
    /// Where the stored hashes that a re-derivation (``rederive()``) has yet to compare end: past `written`
    /// while it goes on.
    private var unchecked: Int64 = 0

    /// Opens the store in `file`, keeping only whole leaves and at most `limit` of them; when `writable`,
    /// the rest is cut from the file.
    init(files: FileSystem, file: FileHandle, limit: UInt64, writable: Bool) throws(StoreError) {
        self.files = files
        self.file = file
        let bytes = try files.size(of: file)
        let leaves = min(HashStore.leaves(forStoredCount: UInt64(bytes / 32)), limit)
        written = Int64(HashStore.storedCount(size: leaves)) * 32
        if written != bytes, writable { try files.truncate(file, to: written) }
        size = leaves
        frontier = try rebuildFrontier()
    }

    /// Level L's n-th stored hash's position in the file (Go's `tlog.StoredHashIndex`).
    static func storedIndex(level: Int, index: UInt64) -> UInt64 {
        var n = index
        for _ in 0..<level { n = 2 * n + 1 }
        var position: UInt64 = 0
        while n > 0 {
            position += n
            n >>= 1
        }
        return position + UInt64(level)
    }

    /// How many hashes a tree of `size` leaves stores.
    static func storedCount(size: UInt64) -> UInt64 { storedIndex(level: 0, index: size) }

    /// The most leaves whose stored hashes fit in `count` hashes.
    static func leaves(forStoredCount count: UInt64) -> UInt64 {
        var (low, high) = (UInt64(0), count)
        while low < high {
            let middle = low + (high - low + 1) / 2
            if storedCount(size: middle) <= count { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The frontier, from the stored hashes: the last complete subtree at each level set in `size`.
    private func rebuildFrontier() throws(StoreError) -> [SHA256.Digest] {
        var spine: [SHA256.Digest] = []
        for level in 0..<64 {
            if size >> level == 0 { break }
            // A level whose bit is clear has no pending subtree; keep a filler entry so indexes match levels.
            spine.append(size >> level & 1 == 1 ? try storedHash(level: level, index: (size >> level) - 1) : Merkle.emptyRoot)
        }
        return spine
    }

    /// Starts the tree again from no leaves, for every leaf to be appended again from the journal. The
    /// stored hashes stay as long as the hashes appended in their place match them; from the first that
    /// does not, the file is cut and written anew. So re-deriving an intact store writes nothing (on this
    /// machine a file page written for the first time costs more than computing what goes in it), and a
    /// damaged one is rewritten from the damage on. ``endRederiving()`` cuts what was stored past the end.
    func rederive() {
        unchecked = max(written, unchecked)
        pending.removeAll()
        written = 0
        size = 0
        frontier = []
    }

    /// Cuts any stored hashes past those appended since ``rederive()``.
    func endRederiving() throws(StoreError) {
        try flush()
        guard unchecked > written else { return }
        try files.truncate(file, to: written)
        unchecked = 0
    }

    /// Drops every leaf from `leaves` on (after a journal's torn tail was cut), in memory and on disk.
    func truncate(to leaves: UInt64) throws(StoreError) {
        guard leaves < size else { return }
        pending.removeAll()
        written = min(written, Int64(HashStore.storedCount(size: leaves)) * 32)
        try files.truncate(file, to: written)
        unchecked = 0
        size = leaves
        frontier = try rebuildFrontier()
    }

    /// Adds a leaf by its hash.
    func append(leafHash: SHA256.Digest) {
        var hash = leafHash
        appendPending(hash)
        var level = 0
        var n = size
        while n & 1 == 1 {
            hash = Merkle.nodeHash(frontier[level], hash)
            appendPending(hash)
            n >>= 1
            level += 1
        }
        if frontier.count <= level { frontier.append(hash) } else { frontier[level] = hash }
        size += 1
    }

    private func appendPending(_ hash: SHA256.Digest) {
        hash.withUnsafeBytes { pending.append(contentsOf: $0) }
    }

    /// Writes what was appended (without syncing).
    func flush() throws(StoreError) {
        guard !pending.isEmpty else { return }
        var start = 0
        if unchecked > written {
            let comparable = min(pending.count, Int(unchecked - written))
            let stored = try files.read(file, at: written, count: comparable)
            start = HashStore.commonHashes(stored, pending) * 32
            if start < comparable {
                // A hash differs, or the file ended early: from here on, the hashes are written.
                try files.truncate(file, to: written + Int64(start))
                unchecked = 0
            }
            written += Int64(start)
        }
        if start < pending.count {
            try pending.withUnsafeBytes { bytes in
                Result { () throws(StoreError) in try files.write(file, at: written, UnsafeRawBufferPointer(rebasing: bytes[start...])) }
            }.get()
            written += Int64(pending.count - start)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// How many whole hashes `stored` and `appended` share from their start.
    private static func commonHashes(_ stored: [UInt8], _ appended: [UInt8]) -> Int {
        let count = min(stored.count, appended.count) / 32
        guard count > 0 else { return 0 }
        return stored.withUnsafeBytes { a in
            appended.withUnsafeBytes { b in
                guard let a = a.baseAddress, let b = b.baseAddress else { return 0 }
                guard memcmp(a, b, count * 32) != 0 else { return count }
                return (0..<count).first { memcmp(a + $0 * 32, b + $0 * 32, 32) != 0 } ?? count
            }
        }
    }

    /// Writes and syncs: required before a checkpoint over these leaves is signed.
    func sync() throws(StoreError) {
        try flush()
        try files.sync(file)
    }

    /// The stored hash of the complete subtree of 2^level leaves starting at leaf `index · 2^level`.
    func storedHash(level: Int, index: UInt64) throws(StoreError) -> SHA256.Digest {
        let offset = Int64(HashStore.storedIndex(level: level, index: index)) * 32
        let bytes: [UInt8]
        if offset >= written {
            let start = Int(offset - written)
            guard start + 32 <= pending.count else {
                throw StoreError(.damaged, "the tree has no hash at level \(level), index \(index)", path: file.path)
            }
            bytes = Array(pending[start..<start + 32])
        } else {
            bytes = try files.read(file, at: offset, count: 32)
        }
        guard let digest = SHA256.Digest(bytes: bytes) else {
            throw StoreError(.damaged, "the hash file ends early", path: file.path, offset: offset)
        }
        return digest
    }

    /// MTH of leaves [start, end), where `start` is aligned as RFC 9162's recursion always leaves it.
    func subtree(_ start: UInt64, _ end: UInt64) throws(StoreError) -> SHA256.Digest {
        precondition(start < end && end <= size, "subtree [\(start), \(end)) outside a tree of \(size)")
        let count = end - start
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            precondition(start % count == 0, "unaligned subtree [\(start), \(end))")
            return try storedHash(level: level, index: start >> level)
        }
        let k = Merkle.split(count)
        return Merkle.nodeHash(try subtree(start, start + k), try subtree(start + k, end))
    }

    /// The root of the tree of the first `treeSize` leaves.
    func root(size treeSize: UInt64) throws(StoreError) -> SHA256.Digest {
        try Merkle.root(size: treeSize) { (start, end) throws(StoreError) in try subtree(start, end) }
    }

    /// The inclusion proof of leaf `index` in the tree of `treeSize` leaves.
    func inclusionProof(index: UInt64, size treeSize: UInt64) throws(StoreError) -> [SHA256.Digest] {
        try Merkle.inclusionProof(index: index, size: treeSize) { (start, end) throws(StoreError) in try subtree(start, end) }
    }

    /// The consistency proof from `oldSize` to `newSize` leaves.
    func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws(StoreError) -> [SHA256.Digest] {
        try Merkle.consistencyProof(from: oldSize, to: newSize) { (start, end) throws(StoreError) in try subtree(start, end) }
    }
}
