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

extension Journal {
    /// Reads the committed records from the start in windows of about `size` bytes, framed (magic, length,
    /// sequence number) but with their checksums left to ``JournalWindow/withPayload(_:_:)``.
    /// - Throws: `store.damaged` at a record that does not frame, or what `body` throws.
    func forEachWindow(size: Int = 8 << 20, _ body: (JournalWindow) throws -> Void) throws {
        precondition(size >= JournalFormat.recordHeaderSize + JournalFormat.maxPayload, "a window holds the longest record")
        var position = JournalPosition.start
        while position.offset < committed.offset {
            let bytes = try files.read(file, at: position.offset, count: Int(min(Int64(size), committed.offset - position.offset)))
            var frames: [JournalWindow.Frame] = []
            var start = 0
            bytes.withUnsafeBytes { raw in
                while let frame = JournalFormat.frame(UnsafeRawBufferPointer(rebasing: raw[start...])) {
                    guard frame.sequence == position.sequence else { break }
                    frames.append(JournalWindow.Frame(offset: position.offset, sequence: frame.sequence, start: start, payloadCount: frame.payloadCount))
                    start += JournalFormat.recordHeaderSize + frame.payloadCount
                    position = JournalPosition(offset: position.offset + Int64(JournalFormat.recordHeaderSize + frame.payloadCount), sequence: position.sequence + 1)
                }
            }
            // The window ends inside a record only when the read did; a record that will not frame at the start of a read is damage.
            guard !frames.isEmpty else { throw JournalFormat.damage(position.sequence, path: path, offset: position.offset) }
            try body(JournalWindow(path: path, bytes: bytes, frames: frames))
        }
    }
}
