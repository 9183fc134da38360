import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

@Suite struct JournalTests {
    static let registry = [UInt8](repeating: 7, count: 16)
    static let path = "/journal"

    static func filled(_ payloads: [[UInt8]]) throws -> SimulatedFileSystem {
        let files = SimulatedFileSystem()
        let journal = try Journal.create(files: files, path: path, registryID: registry)
        for payload in payloads { _ = try journal.append(payload) }
        try journal.commit()
        return files
    }

    static func payloads(_ count: Int) -> [[UInt8]] { (0..<count).map { Array("event number \($0) ".utf8) + [UInt8](repeating: UInt8($0 & 0xFF), count: $0 % 50) } }

    static func reopen(_ files: SimulatedFileSystem, writable: Bool = true) throws -> (Journal, Journal.TornTail?, [JournalRecord]) {
        var records: [JournalRecord] = []
        let (journal, torn) = try Journal.open(files: files, path: path, registryID: registry, writable: writable) { records.append($0) }
        return (journal, torn, records)
    }

    @Test func recordsComeBackInOrderWithTheirSequence() throws {
        let payloads = Self.payloads(100)
        let files = try Self.filled(payloads)
        let (journal, torn, records) = try Self.reopen(files)
        #expect(torn == nil)
        #expect(records.map(\.payload) == payloads)
        #expect(records.map(\.sequence) == Array(0..<100))
        #expect(try journal.read(at: records[42].offset).payload == payloads[42])
        let position = try journal.append([1, 2, 3])
        #expect(position.sequence == 100)
        try journal.commit()
        #expect(try Self.reopen(files).2.count == 101)
    }

    /// A record is read by its offset in one read of 2 KiB when it fits, and in two when it does not: sizes
    /// either side of that read, and a record that ends the journal, come back whole.
    @Test func aRecordIsReadWholeByItsOffsetWhateverItsLength() throws {
        let header = JournalFormat.recordHeaderSize
        let lengths = [0, 1, 2_048 - header - 1, 2_048 - header, 2_048 - header + 1, 5_000, 70_000]
        let payloads = lengths.map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + length) } }
        let files = try Self.filled(payloads)
        let (journal, _, records) = try Self.reopen(files)
        for (record, payload) in zip(records, payloads) {
            let read = try journal.read(at: record.offset)
            #expect(read.payload == payload && read.sequence == record.sequence, "payload of \(payload.count) bytes")
        }
    }

    /// An offset that is no record's is damage found by the first read: over bytes that look like a header
    /// claiming more than the journal holds (a record is not read on past the journal's end), more than a
    /// record may hold, or with no record's magic.
    @Test func anOffsetThatIsNoRecordIsDamagedAfterOneRead() throws {
        func header(magic: UInt32, length: Int) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: JournalFormat.recordHeaderSize)
            withUnsafeBytes(of: magic.littleEndian) { bytes.replaceSubrange(0..<4, with: $0) }
            withUnsafeBytes(of: UInt32(length).littleEndian) { bytes.replaceSubrange(4..<8, with: $0) }
            return bytes
        }
        let forged = [
            header(magic: JournalFormat.recordMagic, length: JournalFormat.maxPayload),
            header(magic: JournalFormat.recordMagic, length: JournalFormat.maxPayload + 1),
            header(magic: JournalFormat.recordMagic ^ 1, length: 8),
        ]
        let files = try Self.filled([Array("before".utf8), forged.joined() + Array(" after".utf8)])
        let (journal, _, records) = try Self.reopen(files)
        for (n, bytes) in forged.enumerated() {
            let operations = files.operations
            do {
                _ = try journal.read(at: records[1].offset + Int64(JournalFormat.recordHeaderSize + n * bytes.count))
                Issue.record("a record was read where there is none (forged header \(n))")
            } catch {
                #expect(error.code == .damaged)
            }
            #expect(files.operations == operations + 1, "forged header \(n)")
        }
    }

    /// The journal cut at every byte of its last record, and followed by 4 KiB of zeros or garbage:
    /// open stops at the last whole record, cuts the rest off when writing, and leaves it when reading.
    @Test func tornTailsAreCutAtTheLastWholeRecord() throws {
        let payloads = Self.payloads(20)
        let files = try Self.filled(payloads)
        let whole = try #require(files.contents(Self.path))
        let lastStart = whole.count - (JournalFormat.recordHeaderSize + payloads[19].count)
        var random = SplitMix64(seed: 42)
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        for cut in lastStart..<whole.count {
            for tail in [[], [UInt8](repeating: 0, count: 4096), garbage] {
                let damaged = SimulatedFileSystem(files: [Self.path: Array(whole[..<cut]) + tail], directories: [])
                let (_, readTorn, readRecords) = try Self.reopen(damaged, writable: false)
                #expect(readRecords.count == 19)
                #expect(readTorn?.offset == Int64(lastStart) || (cut == lastStart && tail.isEmpty && readTorn == nil))
                #expect(damaged.contents(Self.path)?.count == cut + tail.count)
                let (journal, _, records) = try Self.reopen(damaged)
                #expect(records.count == 19)
                #expect(damaged.contents(Self.path)?.count == lastStart)
                #expect(journal.end.sequence == 19)
            }
        }
        for tail in [[UInt8](repeating: 0, count: 4096), garbage] {
            let (_, torn, records) = try Self.reopen(SimulatedFileSystem(files: [Self.path: whole + tail], directories: []))
            #expect(records.count == 20)
            #expect(torn?.bytes == 4096)
        }
    }

    @Test func damageBeforeTheEndStopsTheJournalWithItsOffset() throws {
        let files = try Self.filled(Self.payloads(20))
        var bytes = try #require(files.contents(Self.path))
        let (_, _, records) = try Self.reopen(files)
        bytes[Int(records[7].offset) + 25] ^= 0x10
        let damaged = SimulatedFileSystem(files: [Self.path: bytes], directories: [])
        let error = #expect(throws: StoreError(.damaged, "")) { try Self.reopen(damaged) }
        #expect(error?.offset == records[7].offset)
        #expect(error?.path == Self.path)
    }

    @Test func aJournalOfAnotherRegistryIsRefused() throws {
        let files = try Self.filled(Self.payloads(2))
        #expect(throws: StoreError(.foreignFile, "")) {
            try Journal.open(files: files, path: Self.path, registryID: [UInt8](repeating: 8, count: 16), writable: false)
        }
        files.overwrite(Self.path, with: Array("not a journal at all, just some text that is long enough to fill a header".utf8))
        #expect(throws: StoreError(.foreignFile, "")) { try Self.reopen(files) }
    }

    @Test func aFailedWriteLeavesNothingBehind() throws {
        let files = try Self.filled(Self.payloads(3))
        let (journal, _, _) = try Self.reopen(files)
        let size = try #require(files.contents(Self.path)).count
        for fault in [SimulatedFileSystem.Fault.eio, .enospc, .shortWrite] {
            _ = try journal.append(Array(repeating: 9, count: 500))
            files.fault = (files.operations + 1, fault, false)
            #expect(throws: StoreError.self) { try journal.commit() }
            files.fault = nil
            #expect(files.contents(Self.path)?.count == size)
            #expect(journal.end.sequence == 3)
        }
        _ = try journal.append([1])
        try journal.commit()
        #expect(try Self.reopen(files).2.count == 4)
    }

    /// fsyncgate: after a failed sync nothing more is written by this process.
    @Test func aFailedSyncPoisonsTheJournal() throws {
        let files = try Self.filled(Self.payloads(3))
        let (journal, _, _) = try Self.reopen(files)
        _ = try journal.append([1])
        files.fault = (files.operations + 1, .syncFailure, false)
        #expect(throws: StoreError(.syncFailed, "")) { try journal.commit() }
        files.fault = nil
        #expect(throws: StoreError(.syncFailed, "")) { try journal.append([2]) }
        #expect(throws: StoreError(.syncFailed, "")) { try journal.commit() }
        let (_, _, records) = try Self.reopen(files)
        #expect(records.count >= 3)
    }
}
