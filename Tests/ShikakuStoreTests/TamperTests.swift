import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// 10,000 seeded single-bit flips across the journal, the index runs, status snapshot and manifest, the
/// stored hashes, the checkpoint and its history. For each, `audit` reports a problem whose first entry
/// names the flipped file (for the journal: the record holding the flipped byte, or the header); and
/// opening the damaged registry, to read or to write, either fails with a store error or repairs it.
@Suite struct TamperTests {
    @Test func everySingleBitFlipIsFoundWhereItIs() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        do {
            let registry = try StoreFixture.open(files, threshold: 8)
            #expect(StoreFixture.workload(registry, batches: 4, size: 6, acknowledged: &acknowledged) == nil)
        }
        let clean = files.snapshot()
        #expect(Registry.audit(StoreFixture.root, files: files).isClean)
        let records = try recordStarts(files)
        let targets = clean.files.keys.filter { path in
            path.hasPrefix("/registry/journal") || path.hasPrefix("/registry/index/") || path.hasPrefix("/registry/log/")
        }.sorted()
        #expect(targets.contains { $0.hasSuffix(".run") } && targets.contains { $0.hasSuffix(".bin") })
        var random = SplitMix64(seed: 9_162)
        var flips: [String: Int] = [:]
        for n in 0..<10_000 {
            let path = targets[Int(random.next() % UInt64(targets.count))]
            var bytes = try #require(clean.files[path])
            let offset = Int(random.next() % UInt64(bytes.count))
            bytes[offset] ^= 1 << UInt8(random.next() % 8)
            let damaged = SimulatedFileSystem(files: clean.files.merging([path: bytes]) { $1 }, directories: clean.directories)
            let comment = Comment(rawValue: "flip \(n): a bit in \(path) at byte \(offset)")
            let report = Registry.audit(StoreFixture.root, files: damaged)
            let first = try #require(report.problems.first, comment)
            #expect(first.file == path, "\(comment) was reported first as \(first)")
            if path == "/registry/journal" {
                let record = records.last { $0 <= Int64(offset) } ?? 0
                #expect(first.offset == record, "\(comment) is in the record at \(record), reported as \(first)")
            }
            flips[path, default: 0] += 1
            if n % 10 == 0 { try reopen(damaged, clean: clean, path: path, comment) }
        }
        #expect(flips.count == targets.count)
    }

    /// Where each journal record starts (0 stands for the header).
    private func recordStarts(_ files: SimulatedFileSystem) throws -> [Int64] {
        let registry = try StoreFixture.open(files, writable: false)
        var starts: [Int64] = [0]
        try registry.journal.forEach { starts.append($0.offset) }
        return starts
    }

    /// Opening damaged files to read fails with a store error or succeeds; to write, it fails with a store error
    /// or leaves a registry that audits clean — derived files (indexes, hashes) are repaired from the journal.
    private func reopen(
        _ damaged: SimulatedFileSystem, clean: (files: [String: [UInt8]], directories: Set<String>), path: String,
        _ comment: Comment
    ) throws {
        do {
            _ = try StoreFixture.open(damaged, writable: false)
        } catch {
            #expect(error is StoreError, "\(comment): \(error)")
        }
        let derived = path.hasPrefix("/registry/index/") || path == "/registry/log/hashes"
        do {
            let registry = try StoreFixture.open(damaged, threshold: 8)
            if derived { _ = try registry.rebuildIndexes() }
        } catch {
            #expect(error is StoreError && !derived, "\(comment): a writer could not repair derived files: \(error)")
            return
        }
        let after = Registry.audit(StoreFixture.root, files: damaged)
        #expect(after.isClean || !derived, "\(comment): after a writer's open and rebuild: \(after.problems)")
    }
}
