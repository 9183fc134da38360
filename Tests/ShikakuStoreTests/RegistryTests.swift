import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

@Suite struct RegistryTests {
    @Test func aWorkloadSurvivesReopeningAndAudits() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        let error = StoreFixture.workload(try StoreFixture.open(files), batches: 30, size: 10, acknowledged: &acknowledged)
        #expect(error == nil)
        let reopened = try StoreFixture.open(files)
        try StoreFixture.checkHolds(acknowledged, in: reopened, "reopen")
        #expect(reopened.repairs.isEmpty)
        #expect(reopened.index.covered.sequence >= 200)
        let report = Registry.audit(StoreFixture.root, files: files)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.records == 301)
        #expect(report.checkpoints == 31)
        #expect(report.indexEntries > 100)
    }

    @Test func indexesRebuiltFromTheJournalAnswerTheSame() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 25, size: 10, acknowledged: &acknowledged)
        let before = try StoreFixture.open(files, writable: false)
        let id = RegistrationID(qualification: "physician", number: "0000004")
        let history = try before.history(of: id).map(\.sequence)
        let registry = try StoreFixture.open(files, threshold: 30)
        #expect(try registry.rebuildIndexes(runSize: 40) == 251)
        #expect(registry.index.flushThreshold == 30)
        let after = try StoreFixture.open(files, writable: false)
        #expect(try after.history(of: id).map(\.sequence) == history)
        #expect(Registry.audit(StoreFixture.root, files: files).isClean)
        // Windows smaller than a record, and windows that end inside one, read the same records.
        for windowSize in [100, 1_000, 7_777] {
            #expect(try registry.rebuildIndexes(runSize: 64, windowSize: windowSize) == 251)
            #expect(try StoreFixture.open(files, writable: false).history(of: id).map(\.sequence) == history)
            #expect(Registry.audit(StoreFixture.root, files: files).isClean)
        }
    }

    /// A rebuild derives the stored hashes again but writes only from the first that differs: an intact
    /// file is not written at all, and one damaged anywhere comes out as it was before the damage. (Damage
    /// to the hashes a checkpoint's root is made from is repaired the same way as the registry opens.)
    @Test func aRebuildRewritesTheStoredHashesFromTheirFirstDifference() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 25, size: 10, acknowledged: &acknowledged)
        let path = StoreFixture.root + "/log/hashes"
        let intact = try #require(files.contents(path))
        var changed: [Int?: Int] = [:]
        for damage in [nil, 5, intact.count / 2 + 3, intact.count - 1] as [Int?] {
            var damaged = intact
            if let damage { damaged[damage] ^= 0x10 }
            files.overwrite(path, with: damaged)
            let logged = files.log.count
            // Windows of a few records, so that the hashes are compared and written in many pieces.
            #expect(try StoreFixture.open(files).rebuildIndexes(runSize: 40, windowSize: 1_000) == 251)
            #expect(files.contents(path) == intact)
            let changes = files.log[logged...].filter { $0.hasSuffix(" " + path) && ($0.hasPrefix("write") || $0.hasPrefix("truncate")) }
            #expect(changes.isEmpty == (damage == nil), "\(changes)")
            #expect(changes.isEmpty || changes.first == "truncate " + path && changes.dropFirst().allSatisfy { $0 == "write " + path })
            changed[damage] = changes.count
            #expect(Registry.audit(StoreFixture.root, files: files).isClean)
        }
        // Written from the damage on: the later it is, the less is written.
        #expect(changed[5]! > changed[intact.count / 2 + 3]! && changed[intact.count / 2 + 3]! > changed[intact.count - 1]!, "\(changed)")
    }

    /// A rebuild that stops part way (here the disk fails at its first index run) leaves stored hashes that
    /// the next open derives again, as it is left and after a crash: damage the rebuild had not reached yet
    /// is not trusted for having been there before.
    @Test func anInterruptedRebuildLeavesHashesTheNextOpenDerivesAgain() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 25, size: 10, acknowledged: &acknowledged)
        let path = StoreFixture.root + "/log/hashes"
        let intact = try #require(files.contents(path))
        var damaged = intact
        damaged[intact.count / 2 + 3] ^= 0x10
        files.overwrite(path, with: damaged)
        do {
            let registry = try StoreFixture.open(files)
            #expect(files.contents(path) == damaged, "off the checkpoint's path, damage is not seen by opening")
            files.beforeOperation = { [unowned files] _ in
                if files.fault == nil, files.log.last?.hasPrefix("write " + StoreFixture.root + "/index") == true {
                    files.fault = (files.operations, .eio, true)
                }
            }
            #expect(throws: StoreError.self) { try registry.rebuildIndexes(runSize: 40, windowSize: 1_000) }
            files.beforeOperation = nil
            files.fault = nil
        }
        for (name, state) in [("as left", files)] + files.crashStates(seed: 1).prefix(3) {
            _ = try StoreFixture.open(state)
            #expect(state.contents(path) == intact, "\(name)")
            #expect(Registry.audit(StoreFixture.root, files: state).isClean, "\(name)")
        }
    }

    /// A journal written before records carried facts blocks (each payload the JSON alone) opens, rebuilds
    /// and audits as before: its leaves, and so the roots signed over them, are the same facts.
    @Test func aJournalWithoutFactsBlocksReadsTheSame() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 12, size: 10, acknowledged: &acknowledged)
        let id = RegistrationID(qualification: "physician", number: "0000004")
        let history = try StoreFixture.open(files, writable: false).history(of: id).map(\.sequence)
        #expect(history.count > 1)
        let journal = try #require(files.contents(StoreFixture.root + "/journal"))
        var older = Array(journal[..<JournalFormat.headerSize])
        var offset = JournalFormat.headerSize
        var blocks = 0
        // Records chain to their registration's previous one by offset, and the offsets shrink with the blocks.
        var moved: [Int64: Int64] = [:]
        while offset < journal.count {
            let record = try #require(journal.withUnsafeBytes { JournalFormat.decodeRecord(UnsafeRawBufferPointer(rebasing: $0[offset...]), offset: Int64(offset)) })
            if record.payload.first == FactsBlock.tag { blocks += 1 }
            var entry = try JournalEntry(payload: record.payload, path: "journal", offset: record.offset)
            if let change = entry.change, let previous = change.previous {
                let rechained = RegistrationChange(
                    id: change.id, previous: moved[previous], event: change.event, credential: change.credential, supersedes: change.supersedes,
                    request: change.request)
                entry = JournalEntry(time: entry.time, authority: entry.authority, body: .registration(rechained))
            }
            moved[record.offset] = Int64(older.count)
            JournalFormat.appendRecord(sequence: record.sequence, payload: entry.payload, to: &older)
            offset = Int(record.end)
        }
        #expect(blocks == 121 && older.count < journal.count)
        // Offsets moved, so what is derived from them goes; the checkpoints stay.
        let kept = files.snapshot().files.filter { path, _ in !path.hasPrefix(StoreFixture.root + "/index/") && path != StoreFixture.root + "/log/hashes" }
        let copy = SimulatedFileSystem(files: kept.merging([StoreFixture.root + "/journal": older]) { $1 }, directories: files.directories)
        let registry = try StoreFixture.open(copy)
        #expect(try registry.rebuildIndexes(runSize: 40) == 121)
        #expect(try StoreFixture.open(copy, writable: false).history(of: id).map(\.sequence) == history)
        let report = Registry.audit(StoreFixture.root, files: copy)
        #expect(report.isClean && report.checkpoints == 13, "\(report.problems)")
    }

    /// A rebuild reads every record of the journal, so it is where damage that the indexes' coverage kept an
    /// open from reading shows: a bad checksum or a bad frame stops it at that record, whichever window it is in.
    @Test func aRebuildStopsAtADamagedRecord() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 25, size: 10, acknowledged: &acknowledged)
        let journal = try #require(files.contents(StoreFixture.root + "/journal"))
        var offsets: [Int] = []
        var offset = JournalFormat.headerSize
        while offset < journal.count {
            offsets.append(offset)
            offset += JournalFormat.recordHeaderSize + journal[offset + 4..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        #expect(offsets.count == 251)
        // A byte of the holder's name: the record still reads, so only its checksum shows the change.
        let name = Array("ハナコ".utf8)
        func inName(_ record: Int) -> Int {
            let start = offsets[record]
            return (start..<offsets[record + 1]).first { journal[$0..<$0 + name.count].elementsEqual(name) }! + 2 - start
        }
        // Then the magic (the frame) and the sequence number.
        for (record, byte) in [(10, inName(10)), (100, 0), (150, 9)] {
            var damaged = journal
            damaged[offsets[record] + byte] ^= 0x10
            for windowSize in [8 << 20, 2_000] {
                // A copy each time: a failed rebuild has cut the stored hashes, and reopening would read the journal.
                let copy = SimulatedFileSystem(
                    files: files.snapshot().files.merging([StoreFixture.root + "/journal": damaged]) { $1 }, directories: files.directories)
                let registry = try StoreFixture.open(copy)
                let error = #expect(throws: StoreError.self) { try registry.rebuildIndexes(windowSize: windowSize) }
                #expect(error?.code == .damaged && error?.offset == Int64(offsets[record]), "record \(record), byte \(byte): \(String(describing: error))")
                // Part of the old indexes may be gone: nothing more is written in this process.
                #expect(throws: StoreError.self) { try registry.flushIndexes() }
            }
        }
        // With a bad checksum in one window and a bad frame at the start of the next (read while the first is
        // taken in), the first damage is the one reported.
        var windowStart = offsets[0]
        var firsts: [Int] = []
        for (record, start) in offsets.enumerated() where (record + 1 < offsets.count ? offsets[record + 1] : journal.count) - windowStart > 2_000 {
            windowStart = start
            firsts.append(record)
        }
        let next = try #require(firsts.first { $0 > 10 })
        var twice = journal
        twice[offsets[10] + inName(10)] ^= 0x10
        twice[offsets[next]] ^= 0x10
        let copy = SimulatedFileSystem(
            files: files.snapshot().files.merging([StoreFixture.root + "/journal": twice]) { $1 }, directories: files.directories)
        let first = #expect(throws: StoreError.self) { try StoreFixture.open(copy).rebuildIndexes(windowSize: 2_000) }
        #expect(first?.offset == Int64(offsets[10]), "\(String(describing: first))")
        // A journal cut short under an open registry stops the rebuild where it ends.
        let registry = try StoreFixture.open(files)
        files.overwrite(StoreFixture.root + "/journal", with: Array(journal[..<(offsets[200] + 50)]))
        let error = #expect(throws: StoreError.self) { try registry.rebuildIndexes(windowSize: 2_000) }
        #expect(error?.code == .damaged && error?.offset == Int64(offsets[200] + 50), "\(String(describing: error))")
    }

    /// A reader's open leaves the status snapshot unread, since it grows with the register: read when first asked
    /// for, with the journal's tail past it, it says what the writer's says, even once a writer has replaced the
    /// file; damaged, it is refused then, naming the file.
    @Test func aReaderReadsTheStatusSnapshotOnFirstUse() throws {
        let files = StoreFixture.fileSystem()
        let writer = try StoreFixture.open(files, threshold: 8)
        func credential(_ n: Int) -> CredentialRecord {
            CredentialRecord(
                hash: SHA256.hash("credential \(n)"), serial: 1, authority: "mhlw", slot: StatusSlot(list: 1, index: 7 * n), did: nil,
                seal: nil, effective: nil)
        }
        // The fixture's entries, each issuing credential n; each amendment (every third) supersedes credential n − 2.
        var previous: [RegistrationID: Int64] = [:]
        func append(_ range: Range<Int>) throws {
            for n in range {
                let (id, entry) = StoreFixture.entry(n, previous: &previous)
                guard case .registration(let change) = entry.body else { continue }
                let issuing = RegistrationChange(
                    id: id, previous: change.previous, event: change.event, credential: credential(n),
                    supersedes: n % 3 == 2 ? credential(n - 2) : nil)
                previous[id] = try writer.append(JournalEntry(time: entry.time, authority: entry.authority, body: .registration(issuing))).offset
                try writer.commit()
            }
        }
        try append(0..<21)
        #expect(writer.index.tailCount > 0 && writer.index.covered.sequence > 0, "runs and a tail")
        let reader = try StoreFixture.open(files, writable: false)
        let expected = try writer.index.statusLedger()
        #expect(expected.lists["mhlw"]?.first?.used == 21)
        // A writer flushes again, replacing the snapshot the reader holds unread.
        let snapshot = try #require(files.snapshot().files.keys.first { $0.contains("/index/status-") })
        try append(21..<40)
        #expect(files.contents(snapshot) == nil, "the writer removed the snapshot the reader opened")
        #expect(try reader.index.statusLedger() == expected)
        #expect(try reader.isRevoked(StatusSlot(list: 1, index: 7 * 18), authority: "mhlw"), "superseded in the tail")
        #expect(try reader.isRevoked(StatusSlot(list: 1, index: 0), authority: "mhlw"), "superseded before the runs")
        #expect(try !reader.isRevoked(StatusSlot(list: 1, index: 7), authority: "mhlw"))
        // Damaged, the snapshot opens (it is not read) and is refused when first read.
        let current = try #require(files.snapshot().files.keys.first { $0.contains("/index/status-") })
        var bytes = try #require(files.contents(current))
        bytes[20] ^= 0x01
        files.overwrite(current, with: bytes)
        let damaged = try StoreFixture.open(files, writable: false)
        let error = #expect(throws: StoreError.self) { try damaged.isRevoked(StatusSlot(list: 1, index: 7), authority: "mhlw") }
        #expect(error?.code == .damaged && error?.path == current && error?.message.contains("shikaku index rebuild") == true)
    }

    /// A damaged index is thrown away and rebuilt from the journal at the next writer's open.
    @Test func aDamagedIndexIsRebuilt() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 25, size: 10, acknowledged: &acknowledged)
        let manifest = "/registry/index/manifest"
        var bytes = try #require(files.contents(manifest))
        bytes[bytes.count / 2] ^= 0x04
        files.overwrite(manifest, with: bytes)
        #expect(!Registry.audit(StoreFixture.root, files: files).isClean)
        let repaired = try StoreFixture.open(files)
        #expect(!repaired.repairs.isEmpty)
        try StoreFixture.checkHolds(acknowledged, in: repaired, "after rebuild")
        _ = repaired
        #expect(Registry.audit(StoreFixture.root, files: files).isClean)
    }

    /// A new registration's number is the highest in use plus one, read from the index runs: a run whose entries
    /// no longer match their checksum (which an open does not read) is refused there, so no number is given twice.
    @Test func aNumberIsNotReadFromADamagedRun() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(try StoreFixture.open(files), batches: 25, size: 10, acknowledged: &acknowledged)
        let highest = try StoreFixture.open(files, writable: false).lastRegistrationNumber("physician", in: 0..<10_000_000)
        #expect(highest != nil)
        let run = try #require(files.snapshot().files.keys.filter { $0.contains("/index/registrations-") && $0.hasSuffix(".run") }.sorted().last)
        var bytes = try #require(files.contents(run))
        bytes[bytes.count - 9] ^= 0x01
        files.overwrite(run, with: bytes)
        let damaged = try StoreFixture.open(files)
        let error = #expect(throws: StoreError.self) { try damaged.lastRegistrationNumber("physician", in: 0..<10_000_000) }
        #expect(error?.code == .damaged && error?.path == run)
        #expect(try damaged.rebuildIndexes(runSize: 40) == 251)
        #expect(try damaged.lastRegistrationNumber("physician", in: 0..<10_000_000) == highest)
    }

    /// A journal from another registry, or an older backup of it, or an older checkpoint, is refused.
    @Test func swappedFilesAreDetected() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        let registry = try StoreFixture.open(files)
        StoreFixture.workload(registry, batches: 3, size: 10, acknowledged: &acknowledged)
        let oldJournal = try #require(files.contents("/registry/journal"))
        let oldCheckpoint = try #require(files.contents("/registry/log/checkpoint"))
        StoreFixture.workload(registry, batches: 3, size: 10, acknowledged: &acknowledged)

        let older = SimulatedFileSystem(files: files.snapshot().files.merging(["/registry/journal": oldJournal]) { $1 }, directories: files.directories)
        #expect(throws: StoreError(.staleFile, "")) { try StoreFixture.open(older) }
        #expect(!Registry.audit(StoreFixture.root, files: older).isClean)

        let rolledBack = SimulatedFileSystem(files: files.snapshot().files.merging(["/registry/log/checkpoint": oldCheckpoint]) { $1 }, directories: files.directories)
        #expect(throws: StoreError(.staleFile, "")) { try StoreFixture.open(rolledBack) }
        #expect(!Registry.audit(StoreFixture.root, files: rolledBack).isClean)

        let other = StoreFixture.fileSystem()
        let foreignJournal = try Journal.create(files: other, path: "/elsewhere", registryID: [UInt8](repeating: 9, count: 16))
        _ = foreignJournal
        let swapped = SimulatedFileSystem(
            files: files.snapshot().files.merging(["/registry/journal": try #require(other.contents("/elsewhere"))]) { $1 },
            directories: files.directories)
        #expect(throws: StoreError(.foreignFile, "")) { try StoreFixture.open(swapped) }
    }

    /// A log never signs a checkpoint smaller than, or as large as but different from, one it signed.
    @Test func refusesToSignInconsistentCheckpoints() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        let registry = try StoreFixture.open(files)
        StoreFixture.workload(registry, batches: 2, size: 5, acknowledged: &acknowledged)
        let history = "/registry/log/checkpoints"
        let original = try #require(files.contents(history))
        let other = Base64.encode(SHA256.hash("another root").bytes)

        files.overwrite(history, with: original + Array("\(registry.size + 5) \(other)\n".utf8))
        #expect(throws: StoreError(.inconsistentCheckpoint, "")) { try registry.signCheckpoint(with: StoreFixture.baseline.logKey) }

        files.overwrite(history, with: original + Array("\(registry.size - 1) \(other)\n".utf8))
        #expect(throws: StoreError(.inconsistentCheckpoint, "")) { try registry.signCheckpoint(with: StoreFixture.baseline.logKey) }

        files.overwrite(history, with: original)
        var none: [RegistrationID: Int64] = [:]
        _ = try registry.append(StoreFixture.entry(99, previous: &none).1)
        try registry.commit()
        files.overwrite(history, with: original + Array("\(registry.size) \(other)\n".utf8))
        #expect(throws: StoreError(.inconsistentCheckpoint, "")) { try registry.signCheckpoint(with: StoreFixture.baseline.logKey) }

        files.overwrite(history, with: original)
        #expect(throws: StoreError(.inconsistentCheckpoint, "")) { try registry.signCheckpoint(with: Ed25519.PrivateKey()) }
        try registry.signCheckpoint(with: StoreFixture.baseline.logKey)
    }

    @Test func aSecondWriterWaitsThenFails() throws {
        let files = StoreFixture.fileSystem()
        let first = try StoreFixture.open(files)
        #expect(throws: StoreError(.locked, "")) { try StoreFixture.open(files) }
        _ = first
        #expect(throws: Never.self) { try StoreFixture.open(files, writable: false) }
    }
}

@Suite struct PairingTests {
    /// The fixture's workload in a registry of its own (another registry ID and log key).
    private static func registry(_ files: SimulatedFileSystem, logKey: Ed25519.PrivateKey = StoreFixture.baseline.logKey) throws {
        var acknowledged: [UInt64: [UInt8]] = [:]
        let registry = try StoreFixture.open(files, threshold: 8)
        #expect(StoreFixture.workload(registry, batches: 4, size: 6, acknowledged: &acknowledged, logKey: logKey) == nil)
    }

    /// Each file of the index and log taken from another registry is found by the audit, named; a writer's open
    /// refuses the signed files and rebuilds the derived ones.
    @Test(arguments: ["/registry/index/manifest", "/registry/log/hashes", "/registry/log/checkpoint", "/registry/log/checkpoints"])
    func aFileFromAnotherRegistryIsDetected(path: String) throws {
        let files = StoreFixture.fileSystem()
        try Self.registry(files)
        let other = StoreFixture.otherRegistry()
        try Self.registry(other, logKey: StoreFixture.otherBaseline.logKey)
        let mixed = SimulatedFileSystem(
            files: files.snapshot().files.merging([path: try #require(other.contents(path))]) { $1 }, directories: files.directories)
        let report = Registry.audit(StoreFixture.root, files: mixed)
        #expect(report.problems.first?.file.hasPrefix(path) == true, "\(report.problems)")
        let derived = path.hasPrefix("/registry/index/") || path == "/registry/log/hashes"
        if derived {
            let reopened = try StoreFixture.open(mixed)
            #expect(!reopened.repairs.isEmpty)
            #expect(Registry.audit(StoreFixture.root, files: mixed).isClean)
        } else {
            #expect(throws: StoreError.self) { try StoreFixture.open(mixed) }
        }
    }

    /// An older copy of the history (restored from a backup) is mended from the published checkpoint, which the
    /// writer checked against the journal; signing then stays bound by it.
    @Test func anOlderHistoryIsMendedFromThePublishedCheckpoint() throws {
        let files = StoreFixture.fileSystem()
        let registry = try StoreFixture.open(files)
        var acknowledged: [UInt64: [UInt8]] = [:]
        StoreFixture.workload(registry, batches: 4, size: 5, acknowledged: &acknowledged)
        let size = registry.size
        _ = consume registry
        let lines = try #require(files.contents("/registry/log/checkpoints")).split(separator: 0x0A, omittingEmptySubsequences: false)
        files.overwrite("/registry/log/checkpoints", with: Array(lines.dropLast(3).joined(separator: [0x0A])) + [0x0A])
        let report = Registry.audit(StoreFixture.root, files: files)
        #expect(report.problems.map(\.file) == ["/registry/log/checkpoints"], "\(report.problems)")
        let reopened = try StoreFixture.open(files)
        #expect(reopened.repairs.contains { $0.contains("recorded in it again") })
        #expect(try reopened.signedCheckpoints.last?.size == size)
        #expect(Registry.audit(StoreFixture.root, files: files).isClean)
    }

    /// A reader changes nothing, even where a writer would tidy up (here, a file an interrupted flush left).
    @Test func aReaderWritesNothing() throws {
        let files = StoreFixture.fileSystem()
        try Self.registry(files)
        files.overwrite("/registry/index/registrations-99.run", with: [1, 2, 3])
        let before = files.log.count
        _ = try StoreFixture.open(files, writable: false)
        _ = Registry.audit(StoreFixture.root, files: files)
        #expect(Array(files.log.dropFirst(before)).filter { !["open", "map", "list"].contains($0.prefix { $0 != " " }) } == [])
        #expect(files.contents("/registry/index/registrations-99.run") == [1, 2, 3])
    }
}
