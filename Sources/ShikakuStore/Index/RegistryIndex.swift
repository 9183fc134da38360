import Glibc
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// Where a credential was issued: its registration, the record that issued it, and its serial.
public struct CredentialLocation: Hashable, Sendable {
    /// The registration's index key.
    let registration: UInt64
    /// The journal offset of the record that issued it.
    public let offset: Int64
    /// The certificate serial it carries.
    public let serial: Int
}

/// The registry's derived indexes: immutable runs on disk, plus what the journal holds past them.
///
/// The manifest (`index/manifest`) names the runs and the status snapshot and the journal position
/// they cover. Opening reads it and replays only the journal after that position, so it costs the
/// same whatever the register's size. When the replayed tail passes ``flushThreshold`` records, it is
/// written as new runs; runs of similar size are merged, so there are O(log n) of them. Indexes are
/// never trusted over the journal: a manifest that covers more than the journal holds, or a run that
/// does not open, is thrown away and rebuilt.
final class RegistryIndex {
    /// This index's threshold (``Registry/defaultIndexFlushThreshold``; tests and stress runs use small ones).
    var flushThreshold = Registry.defaultIndexFlushThreshold

    let files: FileSystem
    let directory: String
    let registryID: [UInt8]
    private(set) var runs: [IndexKind: [IndexRun]] = [:]
    private(set) var covered: JournalPosition = .start
    /// The status ledger, once read: see ``statusLedger()``.
    private var ledger = StatusLedger()
    /// A reader's snapshot, opened but not read (it grows with the register, and opening must not), and the
    /// tail's changes to make to it once it is read.
    private var deferredLedger: (file: FileHandle, path: String, changes: [LedgerChange])?
    /// Guards the first read of a deferred snapshot: status may be asked for from more than one thread.
    private let ledgerLock = Mutex()
    /// Where slot indexes are drawn from (only by the writer).
    private let slotRandom = SecureRandom.Pool()
    private(set) var generation = 0
    private var tailRegistrations: [UInt64: Int64] = [:]
    private var tailHolders: [HolderKey: [UInt64]] = [:]
    private var tailCredentials: [SHA256.Digest: CredentialLocation] = [:]
    private var tailRequests: [SHA256.Digest: Int64] = [:]
    /// Records applied since the runs' coverage.
    private(set) var tailCount = 0

    var manifestPath: String { Path.join(directory, "manifest") }

    /// An empty index (no manifest yet). File names continue after `generation`, so that a rebuild never
    /// overwrites a file an older manifest still names.
    init(files: FileSystem, directory: String, registryID: [UInt8], generation: Int = 0) {
        self.files = files
        self.directory = directory
        self.registryID = registryID
        self.generation = generation
    }

    /// An empty index to rebuild, whose file names continue after every generation found in the folder, so
    /// that the rebuild never replaces a file a reader may be using.
    static func rebuilding(files: FileSystem, directory: String, registryID: [UInt8]) throws(StoreError) -> RegistryIndex {
        let names = try files.status(directory) != nil ? try files.list(directory) : []
        let generations = names.compactMap { name in
            name.split(whereSeparator: { $0 == "-" || $0 == "." }).dropFirst().first.flatMap { Int($0) }
        }
        return RegistryIndex(files: files, directory: directory, registryID: registryID, generation: generations.max() ?? 0)
    }

    /// Opens the index from its manifest.
    /// - Parameter writable: Whether the caller holds the lock and may delete what an interrupted flush left;
    ///   a reader must not, since a writer's flush may be under way.
    /// - Throws: `store.damaged` or `store.foreign-file` when the manifest or a run cannot be used; the
    ///   caller rebuilds.
    static func open(files: FileSystem, directory: String, registryID: [UInt8], writable: Bool) throws(StoreError) -> RegistryIndex {
        let index = RegistryIndex(files: files, directory: directory, registryID: registryID)
        guard try files.status(index.manifestPath) != nil else { return index }
        let bytes = try files.readAll(index.manifestPath)
        do {
            let manifest = try JSONValue.parse(bytes)
            guard case .object(let members) = manifest, members["checksum"] == .string(RegistryIndex.checksum(members)) else {
                throw StoreError(.damaged, "the index manifest does not match its checksum", path: index.manifestPath)
            }
            let reader = JSONReader(manifest)
            guard try reader["format"].string() == "shikaku-index/1" else {
                throw StoreError(.foreignFile, "the index manifest is of another format", path: index.manifestPath)
            }
            guard try reader["registry"].string() == SHA256.Digest.hexString(registryID) else {
                throw StoreError(.foreignFile, "the index belongs to another registry", path: index.manifestPath)
            }
            index.covered = JournalPosition(
                offset: Int64(try reader["covered"]["offset"].int()), sequence: UInt64(try reader["covered"]["sequence"].int()))
            index.generation = try reader["generation"].int()
            for kind in IndexKind.allCases {
                index.runs[kind] = try reader["runs"][kind.fileStem].array().map { name in
                    try IndexRun(files: files, path: Path.join(directory, try name.string()), kind: kind, registryID: registryID)
                }
            }
            let status = Path.join(directory, try reader["status"].string())
            if writable {
                index.ledger = try StatusLedger(snapshot: try files.readAll(status), path: status)
            } else {
                // Held open, so that a writer's flush replacing the snapshot cannot take it from under this reader.
                index.deferredLedger = (try files.open(status, .read, permissions: 0), status, [])
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.damaged, "the index manifest is damaged: \(error)", path: index.manifestPath)
        }
        if writable { try index.removeUnlisted() }
        return index
    }

    /// `sha256:` and the hex SHA-256 of the manifest's canonical form without its checksum: the
    /// manifest decides which journal records the audit compares with the runs, so damage to it must show.
    private static func checksum(_ manifest: JSONObject) -> String {
        "sha256:" + SHA256.hash(JSONValue.object(manifest.removing("checksum")).canonicalBytes).hex
    }

    deinit {
        if let deferredLedger { files.close(deferredLedger.file) }
    }

    // MARK: Lookups

    /// The status ledger: which slots are handed out and revoked, and which registrations have a suspension.
    /// - Throws: `store.damaged` when a reader's deferred snapshot turns out damaged (`shikaku index rebuild`
    ///   replaces it), or `store.io`.
    func statusLedger() throws(StoreError) -> StatusLedger {
        try ledgerLock.withLock { () throws(StoreError) in try readDeferredLedger() }
    }

    private func readDeferredLedger() throws(StoreError) -> StatusLedger {
        if let deferred = deferredLedger {
            let bytes = try files.read(deferred.file, at: 0, count: Int(try files.size(of: deferred.file)))
            var read: StatusLedger
            do {
                read = try StatusLedger(snapshot: bytes, path: deferred.path)
            } catch {
                throw StoreError(error.code, error.message + "; run `shikaku index rebuild`", path: deferred.path, offset: error.offset)
            }
            for change in deferred.changes { read.apply(change) }
            files.close(deferred.file)
            deferredLedger = nil
            ledger = read
        }
        return ledger
    }

    /// The offset of the latest journal record of a registration.
    func registration(_ key: UInt64) throws(StoreError) -> Int64? {
        if let offset = tailRegistrations[key] { return offset }
        for run in (runs[.registrations] ?? []).reversed() {
            if let value = try run.value(ofNumber: key) { return RegistryIndex.offset(value) }
        }
        return nil
    }

    /// A journal offset read from a run; `nil` when damage made it one no journal can have.
    private static func offset(_ stored: UInt64) -> Int64? { Int64(exactly: stored) }

    /// The registration keys of a holder.
    func registrations(of holder: HolderKey) throws(StoreError) -> [UInt64] {
        var keys = Set(tailHolders[holder] ?? [])
        let prefix = holder.digest.bytes
        for run in runs[.holders] ?? [] {
            for entry in try run.entries(withPrefix: prefix) {
                keys.insert(entry.withUnsafeBytes { $0.loadBigEndian(UInt64.self, at: 32) })
            }
        }
        return keys.sorted()
    }

    /// Where a credential was issued.
    func credential(_ hash: SHA256.Digest) throws(StoreError) -> CredentialLocation? {
        if let location = tailCredentials[hash] { return location }
        let bytes = hash.bytes
        for run in (runs[.credentials] ?? []).reversed() {
            if let value = try run.find(bytes) {
                return value.withUnsafeBytes { raw in
                    RegistryIndex.offset(raw.loadBigEndian(UInt64.self, at: 8)).map {
                        CredentialLocation(
                            registration: raw.loadBigEndian(UInt64.self, at: 0), offset: $0, serial: Int(raw.loadBigEndian(UInt32.self, at: 16)))
                    }
                }
            }
        }
        return nil
    }

    /// The offset of the record written for a batch row key.
    func request(_ key: SHA256.Digest) throws(StoreError) -> Int64? {
        if let offset = tailRequests[key] { return offset }
        let bytes = key.bytes
        for run in (runs[.requests] ?? []).reversed() {
            if let value = try run.find(bytes) { return value.withUnsafeBytes { RegistryIndex.offset($0.loadBigEndian(UInt64.self, at: 0)) } }
        }
        return nil
    }

    // MARK: Applying the journal

    /// Takes in a journal record: where it starts and what it says.
    func apply(_ facts: RecordFacts, at offset: Int64) {
        guard let (change, key) = takeIn(facts) else { return }
        tailRegistrations[key] = offset
        if let request = change.request { tailRequests[request] = offset }
        if let holder = change.holderKey { tailHolders[holder, default: []].append(key) }
        if let credential = change.credential {
            tailCredentials[credential.hash] = CredentialLocation(registration: key, offset: offset, serial: credential.serial)
        }
    }

    /// Gathers a record of a rebuild into `gathered`, on any thread: its entries and its changes to the status
    /// ledger, for ``takeIn(_:into:)``.
    static func gather(_ facts: RecordFacts, at offset: Int64, into gathered: inout GatheredRecords) {
        gathered.count += 1
        guard let change = facts.registration, let key = change.key else { return }
        forEachLedgerChange(of: change, key: key) { gathered.ledgerChanges.append($0) }
        gathered.entries.registrations.append((key, offset))
        if let request = change.request { gathered.entries.requests.append((request, offset)) }
        if let holder = change.holderKey { gathered.entries.holders.append((holder.digest, key)) }
        if let credential = change.credential {
            gathered.entries.credentials.append(
                (credential.hash, CredentialLocation(registration: key, offset: offset, serial: credential.serial)))
        }
    }

    /// Takes in records gathered by ``gather(_:at:into:)``, the next in journal order: their entries go to
    /// `entries`, for ``flush(_:through:)``, and cannot be looked up until then.
    func takeIn(_ gathered: GatheredRecords, into entries: inout IndexEntries) {
        tailCount += gathered.count
        for change in gathered.ledgerChanges { changeLedger(change) }
        entries.append(gathered.entries)
    }

    /// Counts a record into the tail and makes its changes to the status ledger; its registration and index
    /// key, if it changes one.
    private func takeIn(_ facts: RecordFacts) -> (RecordFacts.Registration, UInt64)? {
        tailCount += 1
        guard let change = facts.registration, let key = change.key else { return nil }
        RegistryIndex.forEachLedgerChange(of: change, key: key, changeLedger)
        return (change, key)
    }

    /// Calls `body` with each change a record makes to the status ledger.
    static func forEachLedgerChange(of change: RecordFacts.Registration, key: UInt64, _ body: (LedgerChange) -> Void) {
        if change.disposition?.isTimeBound == true { body(.timeBound(key)) }
        if let credential = change.credential { body(.allocated(credential.slot, authority: credential.authority)) }
        if let ended = change.supersedes { body(.revoked(ended.slot, authority: ended.authority)) }
    }

    private func changeLedger(_ change: LedgerChange) {
        if deferredLedger != nil { deferredLedger?.changes.append(change) } else { ledger.apply(change) }
    }

    /// Draws a status slot for a new credential of `authority`.
    /// - Throws: `store.damaged` or `store.io` (reading the ledger), `crypto.random-failed`.
    func allocateSlot(for authority: String) throws -> StatusSlot {
        _ = try statusLedger()
        return try ledger.allocate(for: authority, from: slotRandom)
    }

    /// Undoes slot draws and tail changes of a batch that did not commit.
    func restore(ledger saved: StatusLedger) { ledger = saved }

    // MARK: Writing runs

    /// Writes the tail as runs, with the status snapshot and a new manifest covering `position`, when the
    /// tail is large (or always with `force`); merges runs of similar size. The snapshot is `ledger` when
    /// given: the ledger as of `position`, without slots drawn for records not yet written.
    func flush(through position: JournalPosition, force: Bool = false, ledger: StatusLedger? = nil) throws(StoreError) {
        guard tailCount > 0 || (force && position != covered), force || tailCount >= flushThreshold else { return }
        var entries = IndexEntries(
            registrations: tailRegistrations.map { ($0.key, $0.value) },
            holders: tailHolders.flatMap { holder, keys in keys.map { (holder.digest, $0) } },
            requests: tailRequests.map { ($0.key, $0.value) }, credentials: tailCredentials.map { ($0.key, $0.value) })
        try write(&entries, through: position, ledger: ledger)
        // The tail fills up to the threshold again: its tables keep their room rather than grow back step by step.
        tailRegistrations.removeAll(keepingCapacity: true)
        tailHolders.removeAll(keepingCapacity: true)
        tailCredentials.removeAll(keepingCapacity: true)
        tailRequests.removeAll(keepingCapacity: true)
        try removeUnlisted()
    }

    /// Writes `entries` gathered by ``gather(_:at:into:)`` as runs, with the status snapshot and a new
    /// manifest covering `position`, and empties them; merges runs of similar size.
    func flush(_ entries: inout IndexEntries, through position: JournalPosition) throws(StoreError) {
        try write(&entries, through: position)
        try removeUnlisted()
    }

    /// Writes `entries` (the gathered ones or the tail's) as runs and the manifest naming them, and empties
    /// them: the index then covers `position`, and what it no longer names can go.
    private func write(_ entries: inout IndexEntries, through position: JournalPosition, ledger: StatusLedger? = nil) throws(StoreError) {
        if try files.status(directory) == nil { try files.makeDirectory(directory, permissions: 0o755) }
        generation += 1
        var newRuns = runs
        // Each kind is written as soon as it is sorted, while the larger ones still sort.
        let sorting = entries.sortingKeepingLatest()
        let registrations = sorting.registrations
        try writeTailRun(.registrations, into: &newRuns, count: registrations.count) { n, entry in
            entry.storeBytes(of: registrations[n].key.bigEndian, as: UInt64.self)
            entry.storeBytes(of: UInt64(registrations[n].offset).bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        let requests = sorting.requests
        try writeTailRun(.requests, into: &newRuns, count: requests.count) { n, entry in
            requests[n].key.withUnsafeBytes { entry.copyMemory(from: $0) }
            entry.storeBytes(of: UInt64(requests[n].offset).bigEndian, toByteOffset: 32, as: UInt64.self)
        }
        let holders = sorting.holders.wait()
        try writeTailRun(.holders, into: &newRuns, count: holders.count) { n, entry in
            holders[n].holder.withUnsafeBytes { entry.copyMemory(from: $0) }
            entry.storeBytes(of: holders[n].key.bigEndian, toByteOffset: 32, as: UInt64.self)
        }
        let credentials = sorting.credentials.wait()
        try writeTailRun(.credentials, into: &newRuns, count: credentials.count) { n, entry in
            let (hash, location) = credentials[n]
            hash.withUnsafeBytes { entry.copyMemory(from: $0) }
            entry.storeBytes(of: location.registration.bigEndian, toByteOffset: 32, as: UInt64.self)
            entry.storeBytes(of: UInt64(location.offset).bigEndian, toByteOffset: 40, as: UInt64.self)
            entry.storeBytes(of: UInt32(location.serial).bigEndian, toByteOffset: 48, as: UInt32.self)
            entry.storeBytes(of: UInt32(0), toByteOffset: 52, as: UInt32.self)
        }
        for kind in IndexKind.allCases { try mergeSimilar(kind, in: &newRuns) }
        let statusName = "status-\(generation).bin"
        let snapshot = if let ledger { ledger } else { try statusLedger() }
        try files.replaceDurably(Path.join(directory, statusName), with: snapshot.snapshot)
        try files.syncDirectory(directory)
        var manifest: JSONObject = [
            "format": "shikaku-index/1", "registry": .string(SHA256.Digest.hexString(registryID)),
            "covered": ["offset": .number(JSONNumber(Int(position.offset))), "sequence": .number(JSONNumber(Int(position.sequence)))],
            "generation": .number(JSONNumber(generation)),
            "runs": .object(JSONObject(IndexKind.allCases.map { kind in
                JSONObject.Member(key: kind.fileStem, value: .array((newRuns[kind] ?? []).map { .string(Path.lastComponent($0.path)) }))
            })),
            "status": .string(statusName),
        ]
        manifest["checksum"] = .string(RegistryIndex.checksum(manifest))
        try files.replaceDurably(manifestPath, with: Array(JSONValue.object(manifest).prettyPrinted().utf8) + [0x0A])
        runs = newRuns
        covered = position
        tailCount = 0
    }

    /// Writes `count` entries of the tail, sorted, as a new run of `kind`; `layout` writes the n-th into the
    /// entry's bytes, which are appended at once (a run of a million entries is written here in a rebuild).
    private func writeTailRun(
        _ kind: IndexKind, into newRuns: inout [IndexKind: [IndexRun]], count: Int, _ layout: (Int, UnsafeMutableRawBufferPointer) -> Void
    ) throws(StoreError) {
        guard count > 0 else { return }
        let path = Path.join(directory, "\(kind.fileStem)-\(generation).run")
        var next = 0
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(kind.entrySize)) { entry throws(StoreError) in
            try IndexRun.write(kind: kind, registryID: registryID, to: path, files: files) { out in
                guard next < count else { return false }
                layout(next, UnsafeMutableRawBufferPointer(entry))
                out.append(contentsOf: UnsafeBufferPointer(entry))
                next += 1
                return true
            }
        }
        newRuns[kind, default: []].append(try IndexRun(files: files, path: path, kind: kind, registryID: registryID))
    }

    /// Merges the newest two runs while the newest is at least half the size of the one before it.
    private func mergeSimilar(_ kind: IndexKind, in newRuns: inout [IndexKind: [IndexRun]]) throws(StoreError) {
        var list = newRuns[kind] ?? []
        var step = 0
        while list.count >= 2, list[list.count - 1].count * 2 >= list[list.count - 2].count {
            let newer = list.removeLast()
            let older = list.removeLast()
            step += 1
            let path = Path.join(directory, "\(kind.fileStem)-\(generation)-\(step).run")
            var merge = try RunMerge(older: older, newer: newer, keySize: Int(kind.keySize))
            try IndexRun.write(kind: kind, registryID: registryID, to: path, files: files) { merge.appendNext(to: &$0) }
            list.append(try IndexRun(files: files, path: path, kind: kind, registryID: registryID))
        }
        newRuns[kind] = list
    }

    /// Deletes files of the index folder the manifest does not list (leftovers of an interrupted flush).
    private func removeUnlisted() throws(StoreError) {
        guard try files.status(directory) != nil else { return }
        var keep: Set<String> = ["manifest"]
        for list in runs.values { for run in list { keep.insert(Path.lastComponent(run.path)) } }
        keep.insert("status-\(generation).bin")
        for name in try files.list(directory) where !keep.contains(name) {
            try files.remove(Path.join(directory, name))
        }
    }
}

/// The entries of two sorted runs merged: equal keys keep the newer entry. Entries are copied straight from
/// the mapped runs into the writer's buffer: a merge moves every entry of both runs, so it allocates nothing
/// per entry.
struct RunMerge {
    let older: IndexRun
    let newer: IndexRun
    let keySize: Int
    private let olderBytes: UnsafeRawBufferPointer
    private let newerBytes: UnsafeRawBufferPointer
    private var nextOlder = 0
    private var nextNewer = 0

    /// - Throws: `store.io` when a run cannot be mapped.
    init(older: IndexRun, newer: IndexRun, keySize: Int) throws(StoreError) {
        self.older = older
        self.newer = newer
        self.keySize = keySize
        olderBytes = try older.mapped()
        newerBytes = try newer.mapped()
    }

    /// The most entries appended at once: the writer streams through a buffer of about 1 MiB.
    private static let stretchLimit = 4_096

    /// Appends the next merged entries to `out`; false when both runs are used up. A stretch of one run that
    /// sorts before the other's next entry is copied at once: runs of registration numbers, given in order,
    /// rarely interleave.
    mutating func appendNext(to out: inout [UInt8]) -> Bool {
        let olderLeft = nextOlder < older.count, newerLeft = nextNewer < newer.count
        guard olderLeft || newerLeft else { return false }
        if olderLeft, newerLeft {
            let a = older.entry(nextOlder, in: olderBytes)
            let b = newer.entry(nextNewer, in: newerBytes)
            let order = memcmp(a.baseAddress!, b.baseAddress!, keySize)
            if order == 0 {
                // The same key in both: the newer entry stands.
                nextOlder += 1
                nextNewer += 1
                out.append(contentsOf: b)
            } else if order < 0 {
                copyStretch(of: older, olderBytes, from: &nextOlder, before: b.baseAddress, to: &out)
            } else {
                copyStretch(of: newer, newerBytes, from: &nextNewer, before: a.baseAddress, to: &out)
            }
        } else if olderLeft {
            copyStretch(of: older, olderBytes, from: &nextOlder, before: nil, to: &out)
        } else {
            copyStretch(of: newer, newerBytes, from: &nextNewer, before: nil, to: &out)
        }
        return true
    }

    /// Copies the entries of `run` from `next` whose keys sort before `key` (all of them, with `nil`), at
    /// least one, at most ``stretchLimit``, and moves `next` past them.
    private func copyStretch(
        of run: IndexRun, _ bytes: UnsafeRawBufferPointer, from next: inout Int, before key: UnsafeRawPointer?, to out: inout [UInt8]
    ) {
        let limit = min(run.count, next + RunMerge.stretchLimit)
        var end = next + 1
        while end < limit, key.map({ memcmp(run.entry(end, in: bytes).baseAddress!, $0, keySize) < 0 }) ?? true { end += 1 }
        let size = Int(run.kind.entrySize)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[IndexRun.headerSize + next * size..<IndexRun.headerSize + end * size]))
        next = end
    }
}

extension Path {
    /// The last component of a path.
    public static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

extension RegistryIndex {
    /// The largest registration key in `range`, from the runs and the tail.
    /// - Throws: `store.damaged` when a run's entries do not match their checksum: a number read from it could
    ///   be one already given.
    func maxKey(in range: Range<UInt64>) throws(StoreError) -> UInt64? {
        var best = tailRegistrations.keys.filter { range.contains($0) }.max()
        for run in runs[.registrations] ?? [] {
            if let problem = run.checkChecksum() { throw problem }
            let bytes = try run.mapped()
            let position = run.lowerBound(RegistrationKey.bytes(range.upperBound), in: bytes) - 1
            guard position >= 0 else { continue }
            let key = run.entry(position, in: bytes).loadBigEndian(UInt64.self, at: 0)
            if range.contains(key) { best = max(best ?? key, key) }
        }
        return best
    }
}

/// A change the journal makes to the status ledger, kept while a reader's snapshot is still unread.
enum LedgerChange: Sendable {
    case timeBound(UInt64)
    case allocated(StatusSlot, authority: String)
    case revoked(StatusSlot, authority: String)
}

extension StatusLedger {
    mutating func apply(_ change: LedgerChange) {
        switch change {
        case .timeBound(let key): noteTimeBound(key)
        case .allocated(let slot, let authority): markAllocated(slot, for: authority)
        case .revoked(let slot, let authority): revoke(slot, for: authority)
        }
    }
}
