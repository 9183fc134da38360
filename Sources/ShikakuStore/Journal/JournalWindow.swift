import ShikakuCrypto

/// Whole records framed from one large read of the journal, their checksums left to whoever reads them,
/// so that a rebuild checks and reads a window's records on every core.
struct JournalWindow: Sendable {
    /// Where a record is, in the journal and in the window.
    struct Frame: Sendable {
        /// Where its header starts in the journal.
        let offset: Int64
        let sequence: UInt64
        /// Where its header starts in the window's bytes.
        let start: Int
        let payloadCount: Int

        /// Where the next record starts in the journal.
        var end: Int64 { offset + Int64(JournalFormat.recordHeaderSize + payloadCount) }
    }

    let path: String
    /// The bytes read (and perhaps more, unused, after them: the buffer is reused).
    let bytes: [UInt8]
    let frames: [Frame]

    /// Calls `body` with the payload of the `n`-th record, once its checksum checks out.
    /// - Throws: `store.damaged` naming the record's offset when it does not, or what `body` throws.
    func withPayload<T>(_ n: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        let frame = frames[n]
        return try bytes.withUnsafeBytes { all in
            let header = frame.start, payload = frame.start + JournalFormat.recordHeaderSize
            guard JournalFormat.checksumHolds(UnsafeRawBufferPointer(rebasing: all[header..<payload + frame.payloadCount])) else {
                throw JournalFormat.damage(frame.sequence, path: path, offset: frame.offset)
            }
            return try body(UnsafeRawBufferPointer(rebasing: all[payload..<payload + frame.payloadCount]).assumingMemoryBound(to: UInt8.self))
        }
    }
}

/// The committed records of a journal from the start, a window at a time, framed (magic, length, sequence
/// number) but with their checksums left to ``JournalWindow/withPayload(_:_:)``. Buffers take turns, so
/// that a window can be read while those before it are still in use, and none is allocated a window.
struct JournalWindows {
    private let journal: Journal
    private let size: Int
    private var buffers: [[UInt8]]
    private var turn = 0
    private var position = JournalPosition.start

    /// - Parameters:
    ///   - size: How many bytes a window reads; a window holds at least one record, however long.
    ///   - buffers: How many windows may be in use at once without a buffer being copied.
    init(_ journal: Journal, size: Int, buffers: Int) {
        self.journal = journal
        self.size = max(size, JournalFormat.recordHeaderSize)
        self.buffers = Array(repeating: [], count: max(buffers, 1))
    }

    /// The next window, or `nil` after the last committed record. The window from `buffers` calls before
    /// should no longer be in use: its buffer is read into again (a copy is made if it still is).
    /// - Throws: `store.damaged` at a record that does not frame, or `store.io`.
    mutating func next() throws(StoreError) -> JournalWindow? {
        let left = journal.committed.offset - position.offset
        guard left > 0 else { return nil }
        var bytes = buffers[turn]
        buffers[turn] = []
        var length = Int(min(Int64(size), left))
        while true {
            if bytes.count < length { bytes = [UInt8](repeating: 0, count: length) }
            let offset = position.offset, files = journal.files, file = journal.file, wanted = length
            let read = try bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(StoreError) in try files.read(file, at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted])) }
            }.get()
            guard read == wanted else {
                throw StoreError(
                    .damaged, "the journal ends at byte \(offset + Int64(read)), before the \(journal.committed.sequence) records it held when opened",
                    path: journal.path, offset: offset + Int64(read))
            }
            let frames = frame(bytes, count: read)
            if !frames.isEmpty {
                buffers[turn] = bytes
                turn = (turn + 1) % buffers.count
                let last = frames[frames.count - 1]
                position = JournalPosition(offset: last.end, sequence: last.sequence + 1)
                return JournalWindow(path: journal.path, bytes: bytes, frames: frames)
            }
            // A record longer than the window: read it whole. Anything else that does not frame at the start of
            // a read is damage.
            let needed = bytes.withUnsafeBytes { raw in Self.recordLength(UnsafeRawBufferPointer(rebasing: raw[..<read])) }
            guard let needed, needed > read, Int64(needed) <= left else {
                throw JournalFormat.damage(position.sequence, path: journal.path, offset: position.offset)
            }
            length = needed
        }
    }

    /// The records that frame from the start of `bytes`, with consecutive sequence numbers from the position.
    private func frame(_ bytes: [UInt8], count: Int) -> [JournalWindow.Frame] {
        var frames: [JournalWindow.Frame] = []
        var start = 0
        var next = position
        bytes.withUnsafeBytes { raw in
            while let frame = JournalFormat.frame(UnsafeRawBufferPointer(rebasing: raw[start..<count])), frame.sequence == next.sequence {
                frames.append(JournalWindow.Frame(offset: next.offset, sequence: frame.sequence, start: start, payloadCount: frame.payloadCount))
                start += JournalFormat.recordHeaderSize + frame.payloadCount
                next = JournalPosition(offset: next.offset + Int64(JournalFormat.recordHeaderSize + frame.payloadCount), sequence: next.sequence + 1)
            }
        }
        return frames
    }

    /// The whole length a record header at the start of `bytes` claims, if it is a header (magic, length).
    private static func recordLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= JournalFormat.recordHeaderSize, bytes.loadLittleEndian(UInt32.self, at: 0) == JournalFormat.recordMagic else {
            return nil
        }
        let length = Int(bytes.loadLittleEndian(UInt32.self, at: 4))
        return length <= JournalFormat.maxPayload ? JournalFormat.recordHeaderSize + length : nil
    }
}
