import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel

/// A registration as the registry holds it: its state, the authority whose register it is, and its
/// current credential.
public struct RegistrationRecord: Sendable, Equatable {
    /// The state: the fold of its events.
    public var registration: Registration
    /// The authority that registered it.
    public var authority: String
    /// The credential now current, if any.
    public var credential: CredentialRecord?
    /// The journal offset of the record that issued ``credential``: the registration as it stood right after it
    /// (``Registry/state(of:at:)``) is what the credential shows. `nil` while that record is not yet written.
    public var credentialOffset: Int64?
    /// The journal offset of its latest record.
    public var lastOffset: Int64?

    /// Creates a record.
    public init(
        registration: Registration, authority: String, credential: CredentialRecord?, credentialOffset: Int64?, lastOffset: Int64?
    ) {
        self.registration = registration
        self.authority = authority
        self.credential = credential
        self.credentialOffset = credentialOffset
        self.lastOffset = lastOffset
    }
}

/// One event in a registration's history, as recorded.
public struct HistoryItem: Sendable {
    /// The journal record's sequence number: the event's index in the Merkle log.
    public let sequence: UInt64
    /// Where the record starts.
    public let offset: Int64
    /// What the record says.
    public let entry: JournalEntry
}

extension Registry {
    /// The record at `offset` and its decoded entry.
    public func item(at offset: Int64) throws(StoreError) -> HistoryItem {
        let record = try journal.read(at: offset)
        return HistoryItem(sequence: record.sequence, offset: offset, entry: try JournalEntry(payload: record.payload, path: layout.journal, offset: offset))
    }

    /// Every event of a registration, oldest first, following the chain of `previous` offsets.
    /// - Throws: `store.damaged` when the chain breaks.
    public func history(of id: RegistrationID) throws(StoreError) -> [HistoryItem] {
        guard let offset = try latestOffset(of: id) else { return [] }
        return try history(of: id, through: offset)
    }

    /// Where the registration's latest record starts, as the index says.
    private func latestOffset(of id: RegistrationID) throws(StoreError) -> Int64? {
        guard let key = RegistrationKey.encode(id) else { return nil }
        return try index.registration(key)
    }

    /// The events of a registration up to its record at `offset`, oldest first.
    /// - Throws: `store.damaged` when the chain breaks.
    private func history(of id: RegistrationID, through latest: Int64) throws(StoreError) -> [HistoryItem] {
        var items: [HistoryItem] = []
        var offset = latest
        while true {
            let item = try item(at: offset)
            guard let change = item.entry.change, change.id == id else {
                throw StoreError(.damaged, "the index points \(id) at a record of something else; run `shikaku index rebuild`",
                    path: layout.journal, offset: offset)
            }
            items.append(item)
            guard let previous = change.previous else { break }
            guard previous < offset else {
                throw StoreError(.damaged, "the history chain of \(id) loops", path: layout.journal, offset: offset)
            }
            offset = previous
        }
        return items.reversed()
    }

    /// The journal record of a registration's latest event, undecoded (what a row store's lookup by key
    /// returns), or `nil` if the registry does not have it.
    /// - Throws: `store.damaged` when the record does not check out.
    public func latestRecord(of id: RegistrationID) throws(StoreError) -> JournalRecord? {
        guard let offset = try latestOffset(of: id) else { return nil }
        return try journal.read(at: offset)
    }

    /// A registration's current record, or `nil` if the registry does not have it: read from the state block of
    /// its latest record, or by folding its history when that record has none.
    /// - Throws: `store.damaged` when its state block is damaged or its history does not fold.
    public func record(of id: RegistrationID) throws -> RegistrationRecord? {
        guard let offset = try latestOffset(of: id) else { return nil }
        return try record(of: id, at: offset)
    }

    /// The registration `id` as it stood right after its record at `offset`: what a credential issued there shows.
    /// - Throws: `store.damaged` when the record is not one of `id`'s, or its state does not read or fold.
    public func state(of id: RegistrationID, at offset: Int64) throws -> Registration? {
        try record(of: id, at: offset)?.registration
    }

    private func record(of id: RegistrationID, at offset: Int64) throws -> RegistrationRecord? {
        let latest = try journal.read(at: offset)
        if let stored = try StateBlock.record(in: latest.payload, id: id, path: layout.journal, offset: offset) { return stored }
        return try fold(try history(of: id, through: offset))
    }

    /// Folds a history (``history(of:)``, or a start of it: the record as it stood then) into a record.
    /// - Throws: `store.damaged` when it does not fold.
    public func fold(_ items: [HistoryItem]) throws -> RegistrationRecord? {
        guard let first = items.first, let id = first.entry.change?.id else { return nil }
        guard case .register? = first.entry.change?.event else {
            throw StoreError(.damaged, "a registration's history does not start with its registration", path: layout.journal, offset: first.offset)
        }
        let qualification = try Catalog.qualification(id.qualification)
        var state: Registration?
        var credential: CredentialRecord?
        var credentialOffset: Int64?
        for item in items {
            guard let change = item.entry.change else { continue }
            do {
                state = try LifeCycle.apply(change.event, to: state, qualification: qualification)
            } catch {
                throw StoreError(.damaged, "the history of \(id) does not fold: \(error)", path: layout.journal, offset: item.offset)
            }
            if let issued = change.credential {
                credential = issued
                credentialOffset = item.offset
            }
        }
        guard let state else { return nil }
        return RegistrationRecord(
            registration: state, authority: first.entry.authority, credential: credential, credentialOffset: credentialOffset,
            lastOffset: items.last?.offset)
    }

    /// The registrations of a holder, in every register.
    /// - Throws: `store.io` when an index run cannot be mapped.
    public func registrations(of holder: HolderKey) throws(StoreError) -> [RegistrationID] {
        try index.registrations(of: holder).compactMap(RegistrationKey.decode)
    }

    /// Where a credential was issued, if the registry issued it.
    /// - Throws: `store.io` when an index run cannot be mapped.
    public func credential(_ hash: SHA256.Digest) throws(StoreError) -> (id: RegistrationID, location: CredentialLocation)? {
        guard let location = try index.credential(hash), let id = RegistrationKey.decode(location.registration) else { return nil }
        return (id, location)
    }

    /// Whether a batch row with this key was done before: a lookup in the index, with no record read.
    public func hasRequest(_ key: SHA256.Digest) throws(StoreError) -> Bool { try index.request(key) != nil }

    /// Where the record written for a batch row key is in the log, and the registration it is about, read from
    /// the record's index facts rather than decoded whole: what a batch run again reports for each row done before.
    public func requestPlace(_ key: SHA256.Digest) throws(StoreError) -> (sequence: UInt64, registration: RegistrationID?)? {
        guard let offset = try index.request(key) else { return nil }
        let record = try journal.read(at: offset)
        return (record.sequence, try RecordFacts(payload: record.payload, path: layout.journal, offset: offset).registration?.id)
    }

    /// Whether the registry has registration `id`.
    /// - Throws: `store.io` when an index run cannot be mapped.
    public func contains(_ id: RegistrationID) throws(StoreError) -> Bool { try latestOffset(of: id) != nil }

    /// The status ledger: which slots are revoked.
    /// - Throws: `store.damaged` or `store.io` when the status snapshot, read on first use, cannot be.
    public func isRevoked(_ slot: StatusSlot, authority: String) throws(StoreError) -> Bool {
        try index.statusLedger().isRevoked(slot, for: authority)
    }

    /// Registrations with a suspension or ban on record.
    public var registrationsWithSuspensions: [RegistrationID] {
        get throws(StoreError) { try index.statusLedger().timeBound.sorted().compactMap(RegistrationKey.decode) }
    }

    /// The status lists of each authority: how many lists, and the revocation bits of each.
    public var statusLists: [String: [BitstringStatusList]] {
        get throws(StoreError) { try index.statusLedger().lists.mapValues { $0.map(\.revoked) } }
    }

    /// The inclusion proof of leaf `sequence` in the tree of `size` leaves.
    public func inclusionProof(of sequence: UInt64, size: UInt64) throws(StoreError) -> [SHA256.Digest] {
        guard sequence < size, size <= self.size else {
            throw StoreError(.proof, "leaf \(sequence) is not in a log of \(size) (the log holds \(self.size))")
        }
        return try hashes.inclusionProof(index: sequence, size: size)
    }

    /// The consistency proof from `oldSize` to `newSize` leaves.
    public func consistencyProof(from oldSize: UInt64, to newSize: UInt64) throws(StoreError) -> [SHA256.Digest] {
        guard 0 < oldSize, oldSize <= newSize, newSize <= size else {
            throw StoreError(.proof, "no consistency proof from \(oldSize) to \(newSize): sizes must satisfy 0 < old ≤ new ≤ \(size)")
        }
        return try hashes.consistencyProof(from: oldSize, to: newSize)
    }

    /// Every (size, root) the registry signed.
    public var signedCheckpoints: [(size: UInt64, root: SHA256.Digest)] {
        get throws(StoreError) { try CheckpointHistory(files: files, path: layout.checkpoints).all.entries }
    }
}

extension Registry {
    /// The largest register number in use for `code` within `range` (numbers as integers), if any.
    /// - Throws: `store.damaged` when the index it is read from is damaged.
    public func lastRegistrationNumber(_ code: QualificationCode, in range: Range<UInt64>) throws(StoreError) -> UInt64? {
        guard let qualification = try? Catalog.qualification(code) else { return nil }
        let base = UInt64(qualification.number) << 56
        return try index.maxKey(in: (base + range.lowerBound)..<(base + range.upperBound)).map { $0 - base }
    }
}

extension Registry {
    /// Calls `body` with each leaf's index and data, in order, for the first `size` records.
    public func forEachLeaf(upTo size: UInt64, _ body: (UInt64, [UInt8]) throws -> Void) throws {
        try journal.forEach { record in
            guard record.sequence < size else { return }
            let facts = try RecordFacts(payload: record.payload, path: layout.journal, offset: record.offset)
            try body(record.sequence, facts.leaf(sequence: record.sequence))
        }
    }
}
