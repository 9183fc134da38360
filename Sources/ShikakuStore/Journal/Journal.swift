import ShikakuCrypto

/// The registry's append-only journal of events: the one source of truth, from which the Merkle
/// log, the indexes and every registration's state are derived.
///
/// Writing is group commit: ``append(_:)`` frames records in memory, ``commit()`` writes
/// them with one write and makes them durable with one `fdatasync`; nothing is reported
/// done before that returns. A failed write is cut back off the file, so no unacknowledged
/// record can later be read as committed; a failed sync poisons the journal, because Linux
/// may have dropped the pages and a later sync that succeeds would prove nothing.
///
/// Opening checks only the records after a known good position (the indexes' coverage),
/// so it costs the same at 1,000 records or 15 million. A record that does not check out
/// at the end of the file is a torn write: it is cut off (or, read-only, ignored) and
/// reported. Damage with whole records after it is never skipped: opening stops there,
/// naming the file and offset.
public final class Journal {
    let files: FileSystem
    let file: FileHandle
    /// The journal file's path.
    public let path: String
    /// After the last record written (committed or not).
    public private(set) var end: JournalPosition
    /// After the last record made durable.
    public private(set) var committed: JournalPosition
    private var pending: [UInt8] = []
    private var pendingStart: JournalPosition
    private var poisoned: StoreError?

    private init(files: FileSystem, file: FileHandle, path: String, end: JournalPosition) {
        self.files = files
        self.file = file
        self.path = path
        self.end = end
        self.committed = end
        pendingStart = end
    }

    deinit { files.close(file) }

    /// Creates a new journal for registry `registryID`.
    /// - Throws: `store.io` or `store.sync-failed`.
    public static func create(files: FileSystem, path: String, registryID: [UInt8]) throws(StoreError) -> Journal {
        let file = try files.open(path, .createNew, permissions: 0o644)
        do {
            try files.write(file, at: 0, JournalFormat.header(registryID: registryID))
            try files.sync(file)
        } catch {
            files.close(file)
            throw error
        }
        return Journal(files: files, file: file, path: path, end: .start)
    }

    /// What ``open(files:path:registryID:trusting:writable:)`` found at the end of the file.
    public struct TornTail: Sendable, Hashable {
        /// Where the torn record started.
        public let offset: Int64
        /// How many bytes it and what followed it took.
        public let bytes: Int64
    }

    /// Opens the journal, checking the records after `trusted` and reading them back.
    /// - Parameters:
    ///   - trusted: A position known to be a record boundary (where the indexes end); `.start` checks everything.
    ///   - writable: Whether a torn tail may be cut off (readers leave it).
    ///   - protected: Records below this sequence number were synced before (a signed checkpoint covers
    ///     them): one of them that does not check out is damage, never a torn write.
    ///   - body: Called with each record after `trusted`, in order.
    /// - Returns: The journal and the torn tail, if there was one.
    /// - Throws: `store.foreign-file` for a file of another registry or format; `store.damaged` for damage
    ///   with whole records after it; `store.stale-file` if the file ends before `trusted`.
    public static func open(
        files: FileSystem, path: String, registryID: [UInt8], trusting trusted: JournalPosition = .start, writable: Bool,
        protected: UInt64 = 0, _ body: (JournalRecord) throws -> Void = { _ in }
    ) throws -> (Journal, TornTail?) {
        let file = try files.open(path, writable ? .readWrite : .read, permissions: 0)
        do {
            let header = try files.read(file, at: 0, count: JournalFormat.headerSize)
            guard header == JournalFormat.header(registryID: registryID) else {
                let sameFormat = header.prefix(16) == JournalFormat.fileMagic[...]
                throw StoreError(
                    .foreignFile,
                    sameFormat
                        ? "the journal belongs to another registry (or its header is damaged)"
                        : "the file is not a Shikaku journal of a format this version reads",
                    path: path, offset: 0)
            }
            let size = try files.size(of: file)
            guard trusted.offset <= size else {
                throw StoreError(
                    .staleFile,
                    "the journal ends at byte \(size), before the \(trusted.sequence) records the indexes cover: "
                        + "it is older than the rest of the registry (restored from a backup?)",
                    path: path, offset: size)
            }
            var position = trusted
            var tear: TornTail?
            try scan(files: files, file: file, path: path, from: trusted, size: size) { record in
                try body(record)
                position = JournalPosition(offset: record.end, sequence: record.sequence + 1)
            } torn: { offset in
                tear = TornTail(offset: offset, bytes: size - offset)
            }
            if let tear, position.sequence < protected {
                throw StoreError(
                    .damaged,
                    "journal record \(position.sequence) is damaged, and a signed checkpoint covers it: this is damage, not a torn "
                        + "write. Restore the journal from a backup", path: path, offset: tear.offset)
            }
            if tear != nil, writable {
                try files.truncate(file, to: position.offset)
                try files.sync(file)
            }
            return (Journal(files: files, file: file, path: path, end: position), tear)
        } catch {
            files.close(file)
            throw error
        }
    }

    /// Reads records from `start` to the end of the file, in large sequential reads.
    /// Calls `torn` with the offset of a torn tail; throws for damage with whole records after it.
    static func scan(
        files: FileSystem, file: FileHandle, path: String, from start: JournalPosition, size: Int64,
        _ body: (JournalRecord) throws -> Void, torn: (Int64) -> Void
    ) throws {
        var buffer: [UInt8] = []
        var bufferStart = start.offset
        var position = start
        let chunk = 1 << 20
        while position.offset < size {
            let needed = Int(position.offset - bufferStart) + JournalFormat.recordHeaderSize
            var record = buffer.withUnsafeBytes { raw -> JournalRecord? in
                let from = Int(position.offset - bufferStart)
                guard from <= raw.count else { return nil }
                return JournalFormat.decodeRecord(UnsafeRawBufferPointer(rebasing: raw[from...]), offset: position.offset)
            }
            if record == nil, bufferStart + Int64(buffer.count) < size {
                // Refill from the current position, large enough for the longest record.
                let length = Int(min(Int64(max(chunk, needed + JournalFormat.maxPayload)), size - position.offset))
                buffer = try files.read(file, at: position.offset, count: length)
                bufferStart = position.offset
                record = buffer.withUnsafeBytes { JournalFormat.decodeRecord($0, offset: position.offset) }
            }
            guard let found = record, found.sequence == position.sequence else {
                if try hasWholeRecord(files: files, file: file, after: position, size: size) {
                    throw JournalFormat.damage(position.sequence, path: path, offset: position.offset)
                }
                torn(position.offset)
                return
            }
            try body(found)
            position = JournalPosition(offset: found.end, sequence: found.sequence + 1)
        }
    }

    /// Whether a whole record with a later sequence number starts anywhere after `position`.
    private static func hasWholeRecord(files: FileSystem, file: FileHandle, after position: JournalPosition, size: Int64)
        throws -> Bool
    {
        var offset = position.offset + 1
        let magic = withUnsafeBytes(of: JournalFormat.recordMagic.littleEndian) { Array($0) }
        while offset + Int64(JournalFormat.recordHeaderSize) <= size {
            let window = try files.read(file, at: offset, count: Int(min(Int64(1 << 20), size - offset)))
            var index = 0
            while index + 4 <= window.count {
                if window[index] == magic[0] && window[index + 1] == magic[1] && window[index + 2] == magic[2]
                    && window[index + 3] == magic[3]
                {
                    let at = offset + Int64(index)
                    let candidate = try files.read(file, at: at, count: JournalFormat.recordHeaderSize + JournalFormat.maxPayload)
                    if let record = candidate.withUnsafeBytes({ JournalFormat.decodeRecord($0, offset: at) }),
                        record.sequence >= position.sequence
                    {
                        return true
                    }
                }
                index += 1
            }
            offset += Int64(max(1, window.count - 3))
        }
        return false
    }

    /// Frames `payload` as the next record, in memory. It is durable only after ``commit()``.
    /// - Returns: Where the record starts and its sequence number.
    public func append(_ payload: [UInt8]) throws(StoreError) -> JournalPosition {
        if let poisoned { throw poisoned }
        guard payload.count <= JournalFormat.maxPayload else {
            throw StoreError(.io, "a journal record may hold at most \(JournalFormat.maxPayload) bytes", path: path)
        }
        let position = end
        JournalFormat.appendRecord(sequence: end.sequence, payload: payload, to: &pending)
        end = JournalPosition(offset: pendingStart.offset + Int64(pending.count), sequence: end.sequence + 1)
        return position
    }

    /// Writes the appended records with one write and makes them durable with one sync.
    /// - Throws: `store.io` (nothing of the batch counts: it is cut off again) or `store.sync-failed`
    ///   (the journal is poisoned: reopen the registry).
    public func commit() throws(StoreError) {
        if let poisoned { throw poisoned }
        guard !pending.isEmpty else { return }
        do {
            try files.write(file, at: pendingStart.offset, pending)
        } catch {
            discardPending()
            do {
                try files.truncate(file, to: committed.offset)
            } catch {
                poisoned = StoreError(
                    .io, "the journal could not be cut back after a failed write; reopen the registry", path: path)
            }
            throw error
        }
        do {
            try files.sync(file)
        } catch {
            poisoned = StoreError(
                .syncFailed,
                "syncing the journal failed earlier (\(error.message)); this process cannot know what reached the disk. "
                    + "Reopen the registry", path: path, errno: error.errno)
            discardPending()
            throw error
        }
        pending.removeAll(keepingCapacity: true)
        committed = end
        pendingStart = end
    }

    /// Drops records appended since the last commit.
    public func discardPending() {
        pending.removeAll(keepingCapacity: true)
        end = committed
        pendingStart = committed
    }

    /// The record starting at `offset`.
    /// - Throws: `store.damaged` when it does not check out.
    public func read(at offset: Int64) throws(StoreError) -> JournalRecord {
        // One read, into the stack, covers most records (about a kilobyte): a lookup is one system call and
        // one array, the payload's.
        try withUnsafeTemporaryAllocation(byteCount: 2_048, alignment: 16) { (buffer) throws(StoreError) -> JournalRecord in
            let read = try files.read(file, at: offset, into: buffer)
            guard read >= JournalFormat.recordHeaderSize else {
                throw StoreError(.damaged, "the journal ends inside a record", path: path, offset: offset)
            }
            // A header that is not one, or that claims more than the journal holds, is damage: nothing more is read for it.
            guard let header = JournalFormat.header(UnsafeRawBufferPointer(rebasing: buffer[..<read])),
                case let total = JournalFormat.recordHeaderSize + header.payloadCount, offset + Int64(total) <= end.offset
            else {
                throw StoreError(.damaged, "the journal holds no whole record at this offset (bad frame)", path: path, offset: offset)
            }
            if total <= read { return try decode(UnsafeRawBufferPointer(rebasing: buffer[..<total]), at: offset) }
            var bytes = Array(buffer[..<read])
            bytes += try files.read(file, at: offset + Int64(read), count: total - read)
            return try bytes.withUnsafeBytes { whole in Result { () throws(StoreError) in try decode(whole, at: offset) } }.get()
        }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) -> JournalRecord {
        guard let record = JournalFormat.decodeRecord(bytes, offset: offset) else {
            throw StoreError(.damaged, "the journal record at this offset is damaged (bad frame or checksum)", path: path, offset: offset)
        }
        return record
    }

    /// Reads every record from `start` up to the committed end, in order.
    /// - Throws: `store.damaged` at the first record that does not check out.
    public func forEach(from start: JournalPosition = .start, _ body: (JournalRecord) throws -> Void) throws {
        var torn: Int64?
        try Journal.scan(files: files, file: file, path: path, from: start, size: committed.offset, body) { torn = $0 }
        if let torn {
            throw StoreError(.damaged, "the journal record at this offset is damaged (bad frame or checksum)", path: path, offset: torn)
        }
    }
}
