import ShikakuCrypto

// The journal's bytes on disk.
//
//   file header, 64 bytes:
//     0  "SHIKAKU-JOURNAL\n"   magic and format name
//    16  u32 format version (1)
//    20  registry id, 16 bytes: a file from another registry is refused
//    36  24 bytes reserved, zero
//    60  u32 CRC-32 of bytes 0..<60
//   then records, back to back:
//     0  u32 magic 0x534B5243 ("SKRC")
//     4  u32 payload length (at most 1 MiB)
//     8  u64 sequence number: the record's index in the Merkle log, from 0, no gaps
//    16  u32 CRC-32 of bytes 4..<16 and the payload
//    20  payload
// All integers little-endian.

/// A record read back from the journal.
public struct JournalRecord: Sendable {
    /// Where its header starts.
    public let offset: Int64
    /// Its index in the log.
    public let sequence: UInt64
    /// Its content.
    public let payload: [UInt8]

    /// Where the next record starts.
    public var end: Int64 { offset + Int64(JournalFormat.recordHeaderSize + payload.count) }
}

/// A place in the journal: the byte offset of a record boundary and the sequence number of the record there.
public struct JournalPosition: Hashable, Sendable, Comparable {
    /// The byte offset.
    public let offset: Int64
    /// The sequence number of the next record.
    public let sequence: UInt64

    /// Creates a position.
    public init(offset: Int64, sequence: UInt64) {
        self.offset = offset
        self.sequence = sequence
    }

    /// Just after the file header: before the first record.
    public static let start = JournalPosition(offset: Int64(JournalFormat.headerSize), sequence: 0)

    public static func < (lhs: JournalPosition, rhs: JournalPosition) -> Bool { lhs.offset < rhs.offset }
}

enum JournalFormat {
    static let headerSize = 64
    static let recordHeaderSize = 20
    static let maxPayload = 1 << 20
    static let fileMagic = Array("SHIKAKU-JOURNAL\n".utf8)
    static let recordMagic: UInt32 = 0x534B_5243
    static let version: UInt32 = 1

    static func header(registryID: [UInt8]) -> [UInt8] {
        var bytes = fileMagic
        bytes.appendLittleEndian(version)
        bytes += registryID
        bytes += [UInt8](repeating: 0, count: 24)
        bytes.appendLittleEndian(CRC32.checksum(bytes))
        return bytes
    }

    /// Appends a framed record for `payload` to `out`.
    static func appendRecord(sequence: UInt64, payload: [UInt8], to out: inout [UInt8]) {
        out.appendLittleEndian(recordMagic)
        let start = out.count
        out.appendLittleEndian(UInt32(payload.count))
        out.appendLittleEndian(sequence)
        let crc = out[start...].withUnsafeBytes { CRC32.checksum(payload, continuing: CRC32.checksum($0)) }
        out.appendLittleEndian(crc)
        out += payload
    }

    /// The record whose header is at the start of `bytes`, if `bytes` holds all of it and it is whole.
    static func decodeRecord(_ bytes: UnsafeRawBufferPointer, offset: Int64) -> JournalRecord? {
        guard let frame = frame(bytes), checksumHolds(bytes) else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[recordHeaderSize..<recordHeaderSize + frame.payloadCount])
        return JournalRecord(offset: offset, sequence: frame.sequence, payload: Array(payload))
    }

    /// The sequence number and payload length of the record whose header is at the start of `bytes`, if
    /// the header frames one (magic, length) and `bytes` holds all of it; its checksum is not checked.
    static func frame(_ bytes: UnsafeRawBufferPointer) -> (sequence: UInt64, payloadCount: Int)? {
        guard let header = header(bytes), bytes.count >= recordHeaderSize + header.payloadCount else { return nil }
        return header
    }

    /// The sequence number and payload length in the record header at the start of `bytes`, if it is one
    /// (magic, a length within the limit); whether the payload follows is not looked at.
    static func header(_ bytes: UnsafeRawBufferPointer) -> (sequence: UInt64, payloadCount: Int)? {
        guard bytes.count >= recordHeaderSize, bytes.loadLittleEndian(UInt32.self, at: 0) == recordMagic else { return nil }
        let length = Int(bytes.loadLittleEndian(UInt32.self, at: 4))
        guard length <= maxPayload else { return nil }
        return (bytes.loadLittleEndian(UInt64.self, at: 8), length)
    }

    /// Whether the checksum of the framed record at the start of `bytes` holds.
    static func checksumHolds(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let length = Int(bytes.loadLittleEndian(UInt32.self, at: 4))
        let payload = UnsafeRawBufferPointer(rebasing: bytes[recordHeaderSize..<recordHeaderSize + length])
        return CRC32.checksum(payload, continuing: CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[4..<16])))
            == bytes.loadLittleEndian(UInt32.self, at: 16)
    }

    /// Damage to record `sequence`, with records after it: never skipped.
    static func damage(_ sequence: UInt64, path: String, offset: Int64) -> StoreError {
        StoreError(
            .damaged,
            "journal record \(sequence) is damaged (bad frame or checksum) and records follow it; "
                + "the registry stops here rather than skip it. Restore the journal from a backup",
            path: path, offset: offset)
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    func loadLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
