import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel

/// A registry on disk: its journal, Merkle log, checkpoints and indexes, opened for reading or, under
/// the writers' lock, for writing.
///
/// Opening costs the same at any size: it reads `registry.json`, the index manifest and the headers of
/// its runs, the tail of the journal past the indexes, the latest checkpoint, whose root it checks against
/// the stored hashes, and the last lines of the checkpoint history. What grows with the register is read
/// when first used: a run is mapped when first searched, and a reader's status snapshot is read when a
/// status is first asked for (a writer reads it at open, since it draws slots from it).
/// What it repairs (a torn journal tail, lagging hashes, a damaged index) it reports in ``repairs``.
public final class Registry {
    /// Where the files are.
    public let layout: RegistryLayout
    /// What the registry is and who acts in it.
    public internal(set) var config: RegistryConfig
    let files: FileSystem
    /// Whether this handle holds the writers' lock.
    public let writable: Bool
    private var lock: FileHandle?
    let journal: Journal
    let hashes: HashStore
    private let hashFile: FileHandle
    var index: RegistryIndex
    /// The latest signed checkpoint, verified at open.
    public internal(set) var checkpoint: SignedNote?
    /// What opening found and fixed.
    public private(set) var repairs: [String] = []
    var pending: [(facts: RecordFacts, leafHash: SHA256.Digest, position: JournalPosition)] = []
    /// The status ledger as of the last commit, while slots drawn since are not all committed: what a discard
    /// restores and an index flush writes.
    var ledgerBeforeBatch: StatusLedger?
    /// Whether slots were drawn since the ledger last matched the journal.
    var drewSlots = false
    var poisoned: StoreError?

    /// Journal records kept in memory past the index runs before they are written as a new run. Every open
    /// replays up to this many records, so it bounds the cost of opening (milliseconds), while the runs stay
    /// few: runs of similar size are merged.
    public static let defaultIndexFlushThreshold = 4_096

    /// Opens the registry at `root`.
    /// - Parameters:
    ///   - writable: Take the writers' lock (waiting up to `lockTimeout` seconds) and repair what needs it.
    /// - Throws: `store.not-a-registry`, `store.locked`, `store.damaged`, `store.foreign-file`, `store.stale-file`, `store.io`.
    ///   - indexFlushThreshold: Journal records kept in memory past the index runs before a new run is written.
    public init(
        opening root: String, files: FileSystem = PosixFileSystem(), writable: Bool, lockTimeout: Double = 10,
        indexFlushThreshold: Int = Registry.defaultIndexFlushThreshold
    ) throws {
        layout = RegistryLayout(root: root)
        self.files = files
        self.writable = writable
        guard try files.status(layout.config) != nil else {
            throw StoreError(
                .notARegistry, "there is no registry at \(layout.root): create one with `shikaku init`, or name it with --registry",
                path: layout.root)
        }
        config = try RegistryConfig(json: try files.readAll(layout.config), path: layout.config)
        if writable {
            let handle = try files.open(layout.lock, .create, permissions: 0o644)
            do {
                try files.lock(handle, timeout: lockTimeout)
            } catch {
                files.close(handle)
                throw error
            }
            lock = handle
        }
        let registryID = config.idBytes
        // What was signed is read before the journal: a writer syncs records before it signs them, so the journal
        // read next holds at least as many, even while a writer goes on.
        let published = try files.status(layout.checkpoint) != nil ? try files.readAll(layout.checkpoint) : nil
        let recorded = try CheckpointHistory(files: files, path: layout.checkpoints).recent.entries
        let signedSize = recorded.last?.size ?? 0
        if !writable, try files.status(layout.hashes) == nil {
            throw StoreError(
                .missing,
                "\(layout.hashes) is missing; it is derived from the journal, and any command that writes (or `shikaku index rebuild`) "
                    + "remakes it", path: layout.hashes)
        }
        hashFile = try files.open(layout.hashes, writable ? .create : .read, permissions: 0o644)
        // Hashes past the last signed checkpoint may not have been synced: they are recomputed from the journal.
        hashes = try HashStore(files: files, file: hashFile, limit: signedSize, writable: writable)
        let (index, opened, repairs) = try Registry.openIndexAndJournal(
            files: files, layout: layout, registryID: registryID, hashes: hashes, writable: writable, protected: signedSize)
        journal = opened.0
        self.index = index
        index.flushThreshold = indexFlushThreshold
        self.repairs = repairs
        if let torn = opened.1 {
            self.repairs.append("the journal ended in a torn record at byte \(torn.offset) (\(torn.bytes) bytes)"
                + (writable ? "; it was cut off" : "; it is ignored"))
        }
        if hashes.size > journal.end.sequence, writable { try hashes.truncate(to: journal.end.sequence) }
        if writable, try files.status(layout.hashesRederiving) != nil {
            try rebuildHashes()
            noteRepair("deriving the stored Merkle hashes again had stopped part way; they were derived again from the journal")
        }
        try verifyCheckpoint(published: published, recorded: recorded)
        if writable {
            try hashes.flush()
            if index.covered == .start && journal.end.sequence > 0 && !self.repairs.isEmpty {
                try hashes.sync()
                try index.flush(through: journal.end, force: true)
            }
        }
    }

    deinit {
        files.close(hashFile)
        if let lock { files.close(lock) }
    }

    /// Opens the indexes and reads the journal past them; an index that cannot be used is rebuilt.
    private static func openIndexAndJournal(
        files: FileSystem, layout: RegistryLayout, registryID: [UInt8], hashes: HashStore, writable: Bool, protected: UInt64
    ) throws -> (RegistryIndex, (Journal, Journal.TornTail?), [String]) {
        var repairs: [String] = []
        var index: RegistryIndex
        do {
            index = try RegistryIndex.open(files: files, directory: layout.indexDirectory, registryID: registryID, writable: writable)
        } catch {
            // A failing disk is not a damaged index: stop rather than rebuild over it.
            if error.code == .io || error.code == .syncFailed { throw error }
            repairs.append("the indexes were unusable (\(error.message)); they are rebuilt from the journal")
            index = try RegistryIndex.rebuilding(files: files, directory: layout.indexDirectory, registryID: registryID)
        }
        do {
            let opened = try replay(
                files: files, layout: layout, registryID: registryID, index: index, hashes: hashes, writable: writable, protected: protected)
            return (index, opened, repairs)
        } catch let error as StoreError where (error.code == .staleFile || error.code == .damaged) && index.covered != .start {
            // The journal did not read from where the indexes said: trust the journal, rebuild them. Damage in
            // the journal itself shows up again below, reading from its start.
            repairs.append("the indexes do not match the journal (\(error.message)); they are rebuilt from the journal")
            index = try RegistryIndex.rebuilding(files: files, directory: layout.indexDirectory, registryID: registryID)
            let opened = try replay(
                files: files, layout: layout, registryID: registryID, index: index, hashes: hashes, writable: writable, protected: protected)
            return (index, opened, repairs)
        }
    }

    /// Reads the journal past the indexes into them and into the hash store.
    private static func replay(
        files: FileSystem, layout: RegistryLayout, registryID: [UInt8], index: RegistryIndex, hashes: HashStore, writable: Bool,
        protected: UInt64
    ) throws -> (Journal, Journal.TornTail?) {
        if hashes.size < index.covered.sequence {
            // The stored hashes lost leaves the indexes cover: recompute them from the journal's start.
            let (journal, _) = try Journal.open(files: files, path: layout.journal, registryID: registryID, writable: false)
            try journal.forEach { record in
                guard record.sequence >= hashes.size, record.sequence < index.covered.sequence else { return }
                let facts = try RecordFacts(payload: record.payload, path: layout.journal, offset: record.offset)
                hashes.append(leafHash: facts.leafHash(sequence: record.sequence))
            }
        }
        return try Journal.open(
            files: files, path: layout.journal, registryID: registryID, trusting: index.covered, writable: writable,
            protected: protected
        ) { record in
            let facts = try RecordFacts(payload: record.payload, path: layout.journal, offset: record.offset)
            index.apply(facts, at: record.offset)
            if record.sequence >= hashes.size {
                hashes.append(leafHash: facts.leafHash(sequence: record.sequence))
            }
        }
    }

    /// The number of records committed: the log's size.
    public var size: UInt64 { journal.committed.sequence }

    /// The root of the log at `size` leaves.
    public func root(size: UInt64) throws(StoreError) -> SHA256.Digest { try hashes.root(size: size) }

    /// The note verifier of the log key.
    public var logVerifier: NoteVerifier {
        get throws(StoreError) { try NoteVerifier(vkey: config.logKey) }
    }

    /// Checks the latest checkpoint: signed by the log key, not beyond the journal, matching its root,
    /// and the last one the history records.
    private func verifyCheckpoint(published bytes: [UInt8]?, recorded: [(size: UInt64, root: SHA256.Digest)]) throws {
        var published: Checkpoint?
        if let bytes {
            let note = try SignedNote(parsing: bytes)
            _ = try note.verify(with: [try logVerifier])
            let signed = try Checkpoint(text: note.text)
            guard signed.origin == config.origin else {
                throw StoreError(.foreignFile, "the checkpoint is of another log (\(signed.origin))", path: layout.checkpoint)
            }
            try checkCovered(size: signed.size, root: signed.root, what: "the signed checkpoint", path: layout.checkpoint)
            published = signed
            checkpoint = note
        }
        if let signed = published, signed.size > recorded.last?.size ?? 0 {
            try restoreHistory(signed)
            return
        }
        guard let history = recorded.last, history != (published?.size, published?.root) else { return }
        try checkCovered(size: history.size, root: history.root, what: "the checkpoint history", path: layout.checkpoints)
        // The history line is synced before the checkpoint is published: a writer stopped between the two leaves
        // the checkpoint one behind. A reader may also have read the checkpoint before writers signed more. Further
        // behind, or not in the history at all, it was swapped for an older one.
        let behind = writable ? Array(recorded.dropLast().suffix(1)) : recorded
        let found = published.map { signed in behind.contains { $0 == (signed.size, signed.root) } } ?? (recorded.count == 1)
        guard found else {
            throw StoreError(
                .staleFile,
                "log/checkpoint covers \(published?.size ?? 0) records but checkpoints up to \(history.size) were signed: "
                    + "it was swapped for an older one. Run `shikaku audit`, then restore log/checkpoint from a backup",
                path: layout.checkpoint)
        }
        guard writable else { return }
        noteRepair(
            "the checkpoint of \(history.size) records was recorded but not published before the process stopped; "
                + "the next signing publishes it")
    }

    /// The published checkpoint is newer than the history's last line, so that line was lost (damaged, or the
    /// file restored from an older backup); the checkpoint was checked against the journal, so a writer records
    /// it again, and signing stays bound by it.
    private func restoreHistory(_ signed: Checkpoint) throws {
        guard writable else { return }
        try CheckpointHistory(files: files, path: layout.checkpoints).append(size: signed.size, root: signed.root)
        noteRepair(
            "the checkpoint history ended before the published checkpoint of \(signed.size) records (its last line was "
                + "damaged or lost); the checkpoint was recorded in it again")
    }

    /// Checks that the journal holds `size` records whose tree has `root`.
    private func checkCovered(size signedSize: UInt64, root: SHA256.Digest, what: String, path: String) throws {
        guard signedSize <= size else {
            throw StoreError(
                .staleFile,
                "the journal holds \(size) records but \(what) covers \(signedSize): the journal was rolled back "
                    + "or restored from an older backup. Restore the newest journal", path: layout.journal)
        }
        if try hashes.root(size: signedSize) != root, writable {
            // The stored hashes are derived: recompute them before blaming the journal.
            try rebuildHashes()
            noteRepair("the stored Merkle hashes did not match \(what); they were recomputed from the journal")
        }
        guard try hashes.root(size: signedSize) == root else {
            throw StoreError(
                .damaged,
                "the journal's first \(signedSize) records do not hash to the root in \(what): records were changed, "
                    + "or a file comes from another registry. Run `shikaku audit` to find the first bad record", path: layout.journal)
        }
    }

    func noteRepair(_ text: String) { repairs.append(text) }

    /// Recomputes every stored hash from the journal.
    func rebuildHashes() throws {
        try startRederivingHashes()
        try journal.forEach { record in
            let facts = try RecordFacts(payload: record.payload, path: layout.journal, offset: record.offset)
            hashes.append(leafHash: facts.leafHash(sequence: record.sequence))
        }
        try endRederivingHashes()
    }

    /// Starts deriving the stored hashes again, leaving those that match in place. Until
    /// ``endRederivingHashes()``, a marker says that what is past the point reached may be stale (the old
    /// file, damaged perhaps, which is why it is derived again): an open that finds it derives them all.
    func startRederivingHashes() throws(StoreError) {
        try files.replaceDurably(layout.hashesRederiving, with: [])
        hashes.rederive()
    }

    /// Cuts what is past the hashes derived, syncs them, and removes the marker.
    func endRederivingHashes() throws(StoreError) {
        try hashes.endRederiving()
        try hashes.sync()
        try files.remove(layout.hashesRederiving)
        try files.syncDirectory(layout.logDirectory)
    }
}
