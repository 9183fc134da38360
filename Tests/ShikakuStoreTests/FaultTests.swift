import ShikakuModel
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// I/O errors injected through the storage seam at every file operation of a workload (50 records in
/// 5 commits, a checkpoint after each): EIO, ENOSPC and short writes, once and from then on. Each must
/// surface as a store error naming its file, lose nothing acknowledged, and leave a registry that the
/// next open (after the disk recovers) finds clean. A failed fsync poisons the registry for the rest of
/// the process.
@Suite struct FaultTests {
    static let batches = 5
    static let size = 10

    /// The number of file operations the fault-free workload performs.
    static let operations: Int = {
        let files = StoreFixture.fileSystem()
        var acknowledged: [UInt64: [UInt8]] = [:]
        guard let registry = try? StoreFixture.open(files) else { return 0 }
        let before = files.operations
        StoreFixture.workload(registry, batches: batches, size: size, acknowledged: &acknowledged)
        return files.operations - before
    }()

    @Test(arguments: [SimulatedFileSystem.Fault.eio, .enospc, .shortWrite], [false, true])
    func anErrorAtEveryOperationLosesNothingAcknowledged(kind: SimulatedFileSystem.Fault, persistent: Bool) throws {
        #expect(Self.operations > 100)
        var failures = 0
        for k in 1...Self.operations {
            let comment = Comment(rawValue: "\(kind) at operation \(k)\(persistent ? " and after" : "")")
            let files = StoreFixture.fileSystem()
            var acknowledged: [UInt64: [UInt8]] = [:]
            let failure = try Self.run(files, fault: (kind, persistent), after: k, acknowledged: &acknowledged)
            guard let failure else { continue }
            failures += 1
            let error = try #require(failure as? StoreError, comment)
            #expect(error.code == .io, comment)
            #expect(error.path?.hasPrefix(StoreFixture.root) == true, comment)
            #expect(error.message.contains("simulated"), comment)
            // The disk recovers; the next process opens what this one left, and what a crash now would leave.
            files.fault = nil
            for (name, state) in [("as left", files)] + files.crashStates(seed: UInt64(k)).prefix(1) {
                let reopened = try StoreFixture.open(state)
                try StoreFixture.checkHolds(acknowledged, in: reopened, "\(comment), \(name)")
                let report = Registry.audit(StoreFixture.root, files: state)
                #expect(report.isClean, "\(comment), \(name): \(report.problems)")
            }
        }
        // EIO and ENOSPC fail any operation; a short write only a write, of which each commit has a few.
        #expect(failures >= (kind == .shortWrite ? Self.batches * 3 : Self.operations / 2))
    }

    /// Opens the registry, injects the fault `k` operations later and runs the workload; the registry is
    /// closed on return.
    static func run(
        _ files: SimulatedFileSystem, fault: (SimulatedFileSystem.Fault, Bool), after k: Int, acknowledged: inout [UInt64: [UInt8]]
    ) throws -> Error? {
        let registry = try StoreFixture.open(files)
        files.fault = (files.operations + k, fault.0, fault.1)
        return StoreFixture.workload(registry, batches: batches, size: size, acknowledged: &acknowledged)
    }

    @Test(arguments: [false, true])
    func aFailedSyncPoisonsTheRegistry(persistent: Bool) throws {
        var poisonings = 0
        for k in 1...Self.operations {
            let comment = Comment(rawValue: "fsync failure from operation \(k)")
            let files = StoreFixture.fileSystem()
            let registry = try StoreFixture.open(files)
            var acknowledged: [UInt64: [UInt8]] = [:]
            files.fault = (files.operations + k, .syncFailure, persistent)
            guard let failure = StoreFixture.workload(registry, batches: Self.batches, size: Self.size, acknowledged: &acknowledged) else {
                continue
            }
            let error = try #require(failure as? StoreError, comment)
            #expect(error.code == .syncFailed, comment)
            // No retry-and-continue: even with the disk answering again, this process may write nothing more.
            files.fault = nil
            #expect(registry.poisoned?.code == .syncFailed, comment)
            poisonings += 1
            var previous: [RegistrationID: Int64] = [:]
            let (_, entry) = StoreFixture.entry(10_000, previous: &previous)
            #expect(throws: StoreError(.syncFailed, ""), comment) {
                _ = try registry.append(entry)
                try registry.commit()
            }
            #expect(throws: StoreError(.syncFailed, ""), comment) { try registry.signCheckpoint(with: StoreFixture.baseline.logKey) }
            let reopened = try StoreFixture.open(files.crashStates(seed: UInt64(k))[0].fileSystem)
            try StoreFixture.checkHolds(acknowledged, in: reopened, comment)
        }
        #expect(poisonings > Self.operations / 2)
    }

    @Test func aFileIsReplacedBesideTheOldOneThenRenamedAndTheFolderSynced() throws {
        let files = StoreFixture.fileSystem()
        let start = files.log.count
        try files.replaceDurably("/registry/log/checkpoint", with: Array("new".utf8))
        #expect(
            Array(files.log[start...]) == [
                "remove /registry/log/checkpoint.new", "open /registry/log/checkpoint.new", "write /registry/log/checkpoint.new",
                "sync /registry/log/checkpoint.new", "rename /registry/log/checkpoint.new -> /registry/log/checkpoint",
                "syncdir /registry/log",
            ])
    }
}
