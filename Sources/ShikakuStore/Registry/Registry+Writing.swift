import ShikakuCredentials
import ShikakuCrypto

extension Registry {
    /// Adds an entry to the batch being written. Nothing is durable, or visible to lookups, before ``commit()``.
    /// Its record has no state block: reading the registration folds its history (the office writes
    /// ``PreparedEntry``s with their states).
    /// - Returns: Where the entry's record starts.
    /// - Throws: `store.sync-failed` (poisoned) or `store.io`.
    @discardableResult
    public func append(_ entry: JournalEntry) throws(StoreError) -> JournalPosition {
        try append(PreparedEntry(entry, sequence: journal.end.sequence, state: nil))
    }

    /// Adds an entry encoded ahead of time (see ``PreparedEntry``), so that a batch can encode its entries on
    /// every core. One prepared for another place in the log has its leaf hashed again.
    /// - Returns: Where the entry's record starts.
    /// - Throws: `store.sync-failed` (poisoned) or `store.io`.
    @discardableResult
    public func append(_ prepared: PreparedEntry) throws(StoreError) -> JournalPosition {
        try checkWritable()
        if ledgerBeforeBatch == nil { ledgerBeforeBatch = try index.statusLedger() }
        let position = try journal.append(prepared.payload)
        let leafHash = prepared.sequence == position.sequence
            ? prepared.leafHash : prepared.facts.leafHash(sequence: position.sequence)
        pending.append((prepared.facts, leafHash, position))
        return position
    }

    /// The sequence number the next appended entry will have.
    public var nextSequence: UInt64 { journal.end.sequence }

    /// Draws a status slot for a credential `authority` is about to issue, in this batch or a later one.
    /// - Throws: `crypto.random-failed`.
    public func allocateSlot(for authority: String) throws -> StatusSlot {
        try checkWritable()
        if ledgerBeforeBatch == nil { ledgerBeforeBatch = try index.statusLedger() }
        drewSlots = true
        return try index.allocateSlot(for: authority)
    }

    /// Makes the batch durable (one write, one sync), then brings the log and indexes up to date.
    ///
    /// Once the sync returns, the batch counts, whatever follows: if bringing the derived files up to date
    /// then fails, the registry is poisoned (the next write or signing throws that error) and the next open
    /// repairs them from the journal.
    /// - Throws: `store.io` (the batch is dropped: nothing of it counts) or `store.sync-failed` (the registry
    ///   is poisoned: this process must stop writing and the registry be reopened).
    public func commit() throws(StoreError) {
        try checkWritable()
        do {
            try poisoning { () throws(StoreError) in try journal.commit() }
        } catch {
            discardBatch()
            throw error
        }
        // Slots drawn for operations not appended yet (later groups') are no record's: they stay out of the
        // status snapshot, and a discard drops them. Only draws can leave the live ledger ahead of the journal.
        var committed = drewSlots ? ledgerBeforeBatch : nil
        for (facts, leafHash, position) in pending {
            index.apply(facts, at: position.offset)
            hashes.append(leafHash: leafHash)
            if committed != nil, let change = facts.registration, let key = change.key {
                RegistryIndex.forEachLedgerChange(of: change, key: key) { committed?.apply($0) }
            }
        }
        pending.removeAll()
        if let committed, let live = try? index.statusLedger(), committed != live {
            ledgerBeforeBatch = committed
        } else {
            ledgerBeforeBatch = nil
            drewSlots = false
        }
        do {
            try hashes.flush()
            if index.tailCount >= index.flushThreshold {
                try hashes.sync()
                try index.flush(through: journal.committed, ledger: ledgerBeforeBatch)
            }
        } catch {
            poisoned = error
        }
    }

    /// Runs a write; a failed sync in it poisons the registry. An fsync error cannot be retried: the kernel
    /// may have dropped the dirty pages and will report the next sync as a success (PostgreSQL's "fsyncgate").
    func poisoning<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        do {
            return try body()
        } catch {
            if let failure = error as? StoreError, failure.code == .syncFailed { poisoned = failure }
            throw error
        }
    }

    /// Drops the batch being written, and the status slots it drew.
    public func discardBatch() {
        journal.discardPending()
        pending.removeAll()
        if let saved = ledgerBeforeBatch { index.restore(ledger: saved) }
        ledgerBeforeBatch = nil
        drewSlots = false
    }

    /// Writes the indexes for everything committed, so the next open replays nothing.
    public func flushIndexes() throws(StoreError) {
        try checkWritable()
        try poisoning { () throws(StoreError) in
            try hashes.sync()
            try index.flush(through: journal.committed, force: true, ledger: ledgerBeforeBatch)
        }
    }

    /// Signs a checkpoint of the log as it stands, unless it would contradict one signed before.
    ///
    /// The stored hashes are synced first, and the history line is synced before the checkpoint file
    /// is replaced, so that after a crash the registry never signs below or beside what it published.
    /// - Returns: The checkpoint now current (the previous one, when nothing was added since).
    /// - Throws: `store.inconsistent-checkpoint` when the tree no longer extends the last signed one.
    @discardableResult
    public func signCheckpoint(with key: Ed25519.PrivateKey) throws -> SignedNote {
        try checkWritable()
        return try poisoning { try signCheckpointUnchecked(with: key) }
    }

    private func signCheckpointUnchecked(with key: Ed25519.PrivateKey) throws -> SignedNote {
        guard pending.isEmpty else { preconditionFailure("sign checkpoints between batches") }
        let signer = try NoteSigner(name: config.origin, key: key)
        guard signer.verifier == (try logVerifier) else {
            throw StoreError(.inconsistentCheckpoint, "the key given is not this registry's log key", path: layout.logKey)
        }
        let size = self.size
        let root = try hashes.root(size: size)
        let history = CheckpointHistory(files: files, path: layout.checkpoints)
        if let last = try history.last {
            guard size >= last.size else {
                throw StoreError(
                    .inconsistentCheckpoint,
                    "the log holds \(size) records but a checkpoint of \(last.size) was signed before; refusing to sign a smaller one",
                    path: layout.checkpoints)
            }
            guard try hashes.root(size: last.size) == last.root else {
                throw StoreError(
                    .inconsistentCheckpoint,
                    "the log's first \(last.size) records no longer hash to the root signed before; refusing to sign a fork",
                    path: layout.checkpoints)
            }
            if size == last.size, let checkpoint, checkpoint.text == unsignedText(size: size, root: root) { return checkpoint }
        }
        try hashes.sync()
        let note = try SignedNote.sign(unsignedText(size: size, root: root), with: [signer])
        if try history.last.map({ $0 != (size, root) }) ?? true { try history.append(size: size, root: root) }
        try files.replaceDurably(layout.checkpoint, with: note.serialized)
        checkpoint = note
        return note
    }

    private func unsignedText(size: UInt64, root: SHA256.Digest) -> String {
        Checkpoint(origin: config.origin, size: size, root: root).text
    }

    func checkWritable() throws(StoreError) {
        if let poisoned { throw poisoned }
        guard writable else { preconditionFailure("the registry was opened read-only") }
    }
}

extension Registry {
    /// Remakes the indexes and the stored hashes from the journal alone.
    /// - Parameters:
    ///   - runSize: Records gathered in memory before they are written as runs. Far more than an
    ///     open replays: a rebuild writes each run once and merges it, so fewer, larger runs cost less (with
    ///     the default, rebuilding 1M records peaked at 169 MiB, in one run of each kind).
    ///   - windowSize: Bytes of the journal read at a time (tests make windows smaller than a record). Three
    ///     are in use at once; at 2 MiB they stay in the processor's cache between being read and checked,
    ///     and a rebuild of 1M records ran about an eighth faster than with 8 MiB.
    /// - Returns: How many records were read.
    /// - Throws: `store.damaged` at the first record that does not check out, or storage errors. After any
    ///   error the registry is poisoned: the old indexes and stored hashes may be partly replaced, and the next
    ///   open repairs them from the journal.
    public func rebuildIndexes(runSize: Int = 1 << 20, windowSize: Int = 2 << 20) throws -> UInt64 {
        try checkWritable()
        precondition(pending.isEmpty && ledgerBeforeBatch == nil, "indexes are rebuilt with no batch open")
        do {
            return try rebuildIndexesUnchecked(runSize: runSize, windowSize: windowSize)
        } catch {
            let failure = error as? StoreError
            poisoned = StoreError(
                failure?.code ?? .io,
                "an index rebuild stopped part way (\(failure?.message ?? "\(error)")); open the registry again, which repairs what it left",
                path: failure?.path, offset: failure?.offset, errno: failure?.errno)
            throw error
        }
    }

    /// Reads the journal a window at a time: two windows' records are checked, read, hashed and gathered
    /// on every core, in chunks, while this thread takes in the window before them, in order.
    private func rebuildIndexesUnchecked(runSize: Int, windowSize: Int) throws -> UInt64 {
        let fresh = RegistryIndex(files: files, directory: index.directory, registryID: index.registryID, generation: index.generation)
        try startRederivingHashes()
        var gathered = IndexEntries()
        gathered.reserve(records: Int(min(journal.committed.sequence, UInt64(max(runSize, 1)))))
        var count: UInt64 = 0
        // Runs are written between chunks, so a chunk is no larger than a run.
        let chunk = min(256, max(runSize, 1))
        var reading = WindowsAhead(JournalWindows(journal, size: windowSize, buffers: WindowsAhead.depth + 1), chunk: chunk)
        while let chunks = reading.next() {
            for read in chunks {
                fresh.takeIn(read.gathered, into: &gathered)
                for leafHash in read.leafHashes { hashes.append(leafHash: leafHash) }
                count += UInt64(read.gathered.count)
                if let failure = read.failure { throw failure }
                if fresh.tailCount >= runSize {
                    try hashes.sync()
                    try fresh.flush(&gathered, through: read.end)
                }
            }
            try hashes.flush()
        }
        // A window that did not frame is reported once every record before it is taken in: damage there comes first.
        if let failure = reading.failure { throw failure }
        try endRederivingHashes()
        if fresh.tailCount > 0 || journal.committed != fresh.covered { try fresh.flush(&gathered, through: journal.committed) }
        fresh.flushThreshold = index.flushThreshold
        index = fresh
        return count
    }

    /// The journal's windows, each read on every core as soon as it is framed, `depth` of them ahead of the
    /// one taken in: the cores need not wait while this thread frames the next window.
    private struct WindowsAhead {
        static let depth = 2
        private var windows: JournalWindows
        private let chunk: Int
        private var ahead: [Background<[ReadChunk]>] = []
        private var exhausted = false
        /// Why the window after those ahead does not frame, if it does not.
        private(set) var failure: StoreError?

        init(_ windows: JournalWindows, chunk: Int) {
            self.windows = windows
            self.chunk = chunk
            fill()
        }

        /// The next window's records, read; `nil` after the last, or at a window that does not frame.
        mutating func next() -> [ReadChunk]? {
            guard !ahead.isEmpty else { return nil }
            let chunks = ahead.removeFirst().wait()
            fill()
            return chunks
        }

        private mutating func fill() {
            while ahead.count < Self.depth, !exhausted, failure == nil {
                do {
                    guard let window = try windows.next() else {
                        exhausted = true
                        return
                    }
                    let chunk = self.chunk
                    ahead.append(Background { Registry.read(window, chunk: chunk) })
                } catch {
                    failure = error
                }
            }
        }
    }

    /// Some consecutive records of a window, read on any thread.
    private struct ReadChunk: Sendable {
        /// What the records read add to the index.
        var gathered = GatheredRecords()
        var leafHashes: [SHA256.Digest] = []
        /// Why the record after the ones read does not check out, if one does not.
        var failure: (any Error)?
        /// Where the journal stands after the records read.
        var end: JournalPosition
    }

    /// The records of `window`, in chunks of `chunk` read on every core; a chunk stops at its first record
    /// that does not check out.
    private static func read(_ window: JournalWindow, chunk: Int) -> [ReadChunk] {
        let frames = window.frames
        return ParallelChunks.map(count: (frames.count + chunk - 1) / chunk, chunk: 1) { parts in
            parts.map { part in
                let records = part * chunk..<min(frames.count, (part + 1) * chunk)
                var read = ReadChunk(end: JournalPosition(offset: frames[records.lowerBound].offset, sequence: frames[records.lowerBound].sequence))
                read.leafHashes.reserveCapacity(records.count)
                for n in records {
                    do {
                        try window.withPayload(n) { payload in
                            let facts = try RecordFacts(payload: payload, path: window.path, offset: frames[n].offset)
                            RegistryIndex.gather(facts, at: frames[n].offset, into: &read.gathered)
                            read.leafHashes.append(facts.leafHash(sequence: frames[n].sequence))
                        }
                    } catch {
                        read.failure = error
                        break
                    }
                    read.end = JournalPosition(offset: frames[n].end, sequence: frames[n].sequence + 1)
                }
                return read
            }
        }
    }
}
