import Foundation
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// TH3-style crash-point enumeration: the workload (commits of 10 records, a checkpoint after each,
/// index runs every 100 records) crashes after the k-th file operation, for every k until it completes.
/// What the disk holds after each crash is built five ways — unsynced data dropped, kept, cut short,
/// zero-filled or garbage-filled, with unsynced renames lost or kept — and each must open as a valid
/// registry holding every acknowledged record.
///
/// A crash at operation k leaves what the disk held just before it, so one run of the workload visits
/// every crash point: at each operation the states are built and reopened, and the run goes on.
@Suite struct CrashTests {
    /// 100 commits (1,000 records); `Scripts/crash-enumerate` can set more.
    static let batches = Int(ProcessInfo.processInfo.environment["SHIKAKU_CRASH_BATCHES"] ?? "") ?? 100
    static let size = 10

    @Test func everyCrashPointOpensWithEveryAcknowledgedRecord() throws {
        let files = StoreFixture.fileSystem()
        var acknowledged = 0
        // The journal as its last acknowledged commit left it: every crash state must start with these bytes.
        var acknowledgedJournal: [UInt8] = []
        var crashes = 0
        var states = 0
        files.beforeOperation = { crashPoint in
            crashes += 1
            for (name, state) in files.crashStates(seed: UInt64(crashPoint)) {
                let comment = Comment(rawValue: "crash after operation \(crashPoint), state \(name)")
                do {
                    let reopened = try StoreFixture.open(state)
                    #expect(reopened.size >= UInt64(acknowledged) + 1, comment)
                    let journal = try #require(state.contents(StoreFixture.root + "/journal"), comment)
                    #expect(SimulatedFileSystem.commonPrefix(journal, acknowledgedJournal) == acknowledgedJournal.count, comment)
                    if crashPoint % 25 == 0 {
                        let report = Registry.audit(StoreFixture.root, files: state)
                        #expect(report.isClean, "\(comment): \(report.problems)")
                    }
                } catch {
                    Issue.record("\(comment): \(error)")
                }
                states += 1
            }
        }
        let registry = try StoreFixture.open(files)
        let failure = StoreFixture.workload(registry, batches: Self.batches, size: Self.size) { sequence, _ in
            acknowledged = Int(sequence)
            acknowledgedJournal = files.contents(StoreFixture.root + "/journal") ?? []
        }
        files.beforeOperation = nil
        #expect(failure == nil)
        #expect(acknowledged == Self.batches * Self.size)
        #expect(crashes > Self.batches * 10)
        #expect(states == crashes * 5)
    }
}
