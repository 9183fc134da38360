import Glibc
import ShikakuCrypto

/// An immutable index file: fixed-size entries sorted by their key bytes, read through a memory map.
///
///     header, 64 bytes: "SHIKAKU-INDEX\n\0\0" | u32 version | u32 kind | u32 entry size | u32 key size |
///                       u64 count | registry id (16) | u32 CRC-32 of the entries | u32 CRC-32 of the header
///     entries: count × entry size, sorted by key (memcmp order; numbers are big-endian)
///
/// Runs are written once, beside the manifest that lists them, and never changed; newer runs
/// shadow older ones (the log-structured merge of LevelDB and its kin), so opening reads only
/// their headers and lookups are binary searches in mapped memory. A run is mapped when first
/// searched: a map and its unmap cost more than reading the header, and most commands search
/// one or two kinds of index only.
final class IndexRun {
    static let headerSize = 64
    static let magic = Array("SHIKAKU-INDEX\n\0\0".utf8)

    let files: FileSystem
    let path: String
    let kind: IndexKind
    let count: Int
    private let file: FileHandle
    private let fileSize: Int
    private var mapping: UnsafeRawBufferPointer?
    /// Why the run could not be mapped, once it could not: mapping again would only fail again.
    private var mappingProblem: StoreError?
    /// Guards ``mapping`` and ``mappingProblem``: a batch searches the runs from every core.
    private let mappingLock = Mutex()
    private let entriesCRC: UInt32
    /// What checking the entries' checksum found, once it was checked.
    private var checksumProblem: StoreError??
    /// A filter of the keys, built once the run has been searched ``filterAfter`` times (a batch's lookups,
    /// not a single command's), for a kind whose searches are mostly for keys it does not have.
    private var filter: KeyFilter?
    private var searches = 0
    /// Guards ``filter`` and ``searches``.
    private let filterLock = Mutex()
    static let filterAfter = 1_024

    /// Opens a run, checking its header (not its entries: ``verify()`` does that).
    init(files: FileSystem, path: String, kind: IndexKind, registryID: [UInt8]) throws(StoreError) {
        self.files = files
        self.path = path
        self.kind = kind
        file = try files.open(path, .read, permissions: 0)
        do throws(StoreError) {
            let size = Int(try files.size(of: file))
            fileSize = size
            let header = try files.read(file, at: 0, count: min(size, IndexRun.headerSize))
            let checked = header.withUnsafeBytes { bytes in
                Result { () throws(StoreError) in
                    try IndexRun.checkHeader(bytes, fileSize: size, kind: kind, registryID: registryID, path: path)
                }
            }
            (count, entriesCRC) = try checked.get()
        } catch {
            files.close(file)
            throw error
        }
    }

    /// The entry count and entries' checksum a header gives, once it checks out against the file.
    private static func checkHeader(
        _ bytes: UnsafeRawBufferPointer, fileSize: Int, kind: IndexKind, registryID: [UInt8], path: String
    ) throws(StoreError) -> (count: Int, entriesCRC: UInt32) {
        guard bytes.count >= IndexRun.headerSize, Array(bytes[0..<16]) == IndexRun.magic,
            CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<60])) == bytes.loadLittleEndian(UInt32.self, at: 60)
        else { throw StoreError(.damaged, "the index run's header is damaged", path: path, offset: 0) }
        guard bytes.loadLittleEndian(UInt32.self, at: 16) == 1, bytes.loadLittleEndian(UInt32.self, at: 20) == kind.rawValue,
            bytes.loadLittleEndian(UInt32.self, at: 24) == kind.entrySize, bytes.loadLittleEndian(UInt32.self, at: 28) == kind.keySize
        else { throw StoreError(.foreignFile, "the index run is of another kind or version", path: path, offset: 16) }
        guard Array(bytes[40..<56]) == registryID else {
            throw StoreError(.foreignFile, "the index run belongs to another registry", path: path, offset: 40)
        }
        // A forged header may claim any count: compare without trapping on overflow.
        let claimed = bytes.loadLittleEndian(UInt64.self, at: 32)
        guard claimed == UInt64(fileSize - IndexRun.headerSize) / UInt64(kind.entrySize),
            (fileSize - IndexRun.headerSize) % Int(kind.entrySize) == 0
        else {
            throw StoreError(.damaged, "the index run's length does not match its header", path: path, offset: 32)
        }
        return (Int(claimed), bytes.loadLittleEndian(UInt32.self, at: 56))
    }

    deinit { files.close(file) }

    /// The run's bytes, mapped on first use.
    /// - Throws: `store.io` when the file cannot be mapped.
    func mapped() throws(StoreError) -> UnsafeRawBufferPointer {
        try mappingLock.withLock { () throws(StoreError) in
            if let mapping { return mapping }
            if let mappingProblem { throw mappingProblem }
            let mapped = try files.map(file)
            guard mapped.count == fileSize else {
                // The mapping stays (the file system unmaps it when the run closes); lookups are refused.
                let problem = StoreError(.damaged, "the index run changed size after it was opened; run `shikaku index rebuild`", path: path)
                mappingProblem = problem
                throw problem
            }
            mapping = mapped
            return mapped
        }
    }

    /// The entry at `index` of the mapped run.
    func entry(_ index: Int, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let size = Int(kind.entrySize)
        let start = IndexRun.headerSize + index * size
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + size])
    }

    /// The index of the first entry whose key is not less than `key` (which may be a prefix of the key).
    func lowerBound(_ key: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if IndexRun.compare(entry(middle, in: bytes), key) < 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The value of the entry with exactly `key`, if any.
    /// - Throws: `store.io` when the run cannot be mapped.
    func find(_ key: [UInt8]) throws(StoreError) -> [UInt8]? {
        let bytes = try mapped()
        if kind.searchedMostlyInVain, !mayContain(key, in: bytes) { return nil }
        let index = lowerBound(key, in: bytes)
        guard index < count, IndexRun.compare(entry(index, in: bytes), key) == 0 else { return nil }
        return Array(entry(index, in: bytes)[Int(kind.keySize)...])
    }

    /// Whether the run may hold `key`, from its filter once it has one.
    private func mayContain(_ key: [UInt8], in bytes: UnsafeRawBufferPointer) -> Bool {
        filterLock.withLock {
            if filter == nil {
                searches += 1
                guard searches >= IndexRun.filterAfter else { return true }
                filter = KeyFilter(count: count) { entry($0, in: bytes) }
            }
            return key.withUnsafeBytes { filter?.mayContain($0) ?? true }
        }
    }

    /// The entries whose keys start with `prefix`.
    /// - Throws: `store.io` when the run cannot be mapped.
    func entries(withPrefix prefix: [UInt8]) throws(StoreError) -> [[UInt8]] {
        let bytes = try mapped()
        var result: [[UInt8]] = []
        var index = lowerBound(prefix, in: bytes)
        while index < count, IndexRun.compare(entry(index, in: bytes), prefix) == 0 {
            result.append(Array(entry(index, in: bytes)))
            index += 1
        }
        return result
    }

    /// Whether the entries match the checksum in the header, checked once: lookups trust the runs (the
    /// journal record they lead to is checked), but a new registration number must not come from a damaged one.
    func checkChecksum() -> StoreError? {
        if let known = checksumProblem { return known }
        let bytes: UnsafeRawBufferPointer
        do {
            bytes = try mapped()
        } catch {
            return error
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[IndexRun.headerSize...])
        let problem = CRC32.checksum(body) == entriesCRC ? nil : StoreError(
            .damaged, "the index run's entries do not match their checksum; run `shikaku index rebuild`", path: path,
            offset: Int64(IndexRun.headerSize))
        checksumProblem = .some(problem)
        return problem
    }

    /// Whether the entries match the checksum in the header and are in order: what `audit` checks.
    func verify() -> StoreError? {
        if let problem = checkChecksum() { return problem }
        let bytes: UnsafeRawBufferPointer
        do {
            bytes = try mapped()
        } catch {
            return error
        }
        let keySize = Int(kind.keySize)
        for index in 1..<max(1, count) {
            let previous = Array(entry(index - 1, in: bytes).prefix(keySize))
            if IndexRun.compare(entry(index, in: bytes), previous) <= 0 {
                return StoreError(.damaged, "the index run is out of order at entry \(index)", path: path,
                    offset: Int64(IndexRun.headerSize + index * Int(kind.entrySize)))
            }
        }
        return nil
    }

    /// memcmp of the first `key.count` bytes of `entry` with `key`.
    static func compare(_ entry: UnsafeRawBufferPointer, _ key: [UInt8]) -> Int {
        precondition(entry.count >= key.count, "an index key longer than the entry")
        return key.withUnsafeBytes { key in
            guard let keyStart = key.baseAddress, let entryStart = entry.baseAddress else { return 0 }
            return Int(memcmp(entryStart, keyStart, key.count))
        }
    }

    /// The 8 bytes after the key of the entry whose key is the big-endian number `key`, in a run keyed so
    /// (registrations): the lookup every command makes, without the byte arrays of ``find(_:)``.
    /// - Throws: `store.io` when the run cannot be mapped.
    func value(ofNumber key: UInt64) throws(StoreError) -> UInt64? {
        precondition(kind.keySize == 8 && kind.entrySize == 16, "not a run keyed by a number")
        let bytes = try mapped()
        func number(_ index: Int) -> UInt64 { bytes.loadBigEndian(UInt64.self, at: IndexRun.headerSize + index * 16) }
        // Registration numbers run on within each register, so where a key lies between two others is a
        // close guess of where it is: a probe there, then a halving step. Each round reads at most four
        // entries (both ends, the guess, the middle) and at least halves the range, so whatever the keys
        // there are no more rounds than a binary search has steps; on numbers that run on, a million keys
        // take a round or two rather than twenty steps, and at that size each read is a miss of the
        // processor's cache. Keys before `low` are less than `key`; those from `high` on are not.
        var (low, high) = (0, count)
        while high - low > 8 {
            let first = number(low), last = number(high - 1)
            if first >= key {
                high = low
                break
            }
            if last < key {
                low = high
                break
            }
            let guess = low + Int(Double(key - first) / Double(last - first) * Double(high - 1 - low))
            let probe = min(max(guess, low), high - 1)
            if number(probe) < key { low = probe + 1 } else { high = probe }
            let middle = (low + high) / 2
            if middle < high { if number(middle) < key { low = middle + 1 } else { high = middle } }
        }
        while low < high, number(low) < key { low += 1 }
        guard low < count, number(low) == key else { return nil }
        return bytes.loadBigEndian(UInt64.self, at: IndexRun.headerSize + low * 16 + 8)
    }

    /// Writes a run to `path` durably: `next` appends the next entries (one or more whole ones), sorted and
    /// unique by key, and returns false when there are no more. The entries stream through a 1 MiB buffer, so a merge of
    /// large runs never holds them whole, and are written around the page cache where the file system
    /// allows (see ``SequentialFile``).
    static func write(
        kind: IndexKind, registryID: [UInt8], to path: String, files: FileSystem, appending next: (inout [UInt8]) -> Bool
    ) throws(StoreError) {
        let temporary = path + ".new"
        try files.remove(temporary)
        let file = try files.open(temporary, .createNewUncached, permissions: 0o644)
        defer { files.close(file) }
        var out = SequentialFile(files: files, file: file, reserving: headerSize)
        var crc: UInt32 = 0
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 20)
        var count = 0
        while case let before = chunk.count, next(&chunk) {
            let added = chunk.count - before
            precondition(added > 0 && added % Int(kind.entrySize) == 0, "index entries of the wrong size")
            count += added / Int(kind.entrySize)
            if chunk.count >= 1 << 20 {
                crc = CRC32.checksum(chunk, continuing: crc)
                try out.append(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        crc = CRC32.checksum(chunk, continuing: crc)
        try out.append(chunk)
        var header = magic
        header.appendLittleEndian(UInt32(1))
        header.appendLittleEndian(kind.rawValue)
        header.appendLittleEndian(kind.entrySize)
        header.appendLittleEndian(kind.keySize)
        header.appendLittleEndian(UInt64(count))
        header += registryID
        header.appendLittleEndian(crc)
        header.appendLittleEndian(CRC32.checksum(header))
        try out.finish(header: header)
        try files.sync(file)
        try files.rename(temporary, to: path)
    }
}

/// The three indexes and their entry layouts.
enum IndexKind: UInt32, CaseIterable, Sendable {
    /// Registration key (8, big-endian) → offset of its latest journal record (8).
    case registrations = 1
    /// Holder key (32) ‖ registration key (8); no value.
    case holders = 2
    /// Credential hash (32) → registration key (8) ‖ offset of the record that issued it (8) ‖ serial (4) ‖ zero (4).
    case credentials = 3
    /// Batch row key (32) → offset of the record written for it (8).
    case requests = 4

    /// Whether most searches are for keys the run does not have, so that a filter of its keys pays: a batch
    /// looks up the key of every row, and nearly all rows are new.
    var searchedMostlyInVain: Bool { self == .requests }

    var keySize: UInt32 {
        switch self {
        case .registrations: 8
        case .holders: 40
        case .credentials, .requests: 32
        }
    }

    var entrySize: UInt32 {
        switch self {
        case .registrations: 16
        case .holders: 40
        case .credentials: 56
        case .requests: 40
        }
    }

    var fileStem: String {
        switch self {
        case .registrations: "registrations"
        case .holders: "holders"
        case .credentials: "credentials"
        case .requests: "requests"
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    func loadBigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
