import Foundation
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// TH3-style crash-point enumeration: the workload (commits of 10 records, a checkpoint after each,
/// index runs every 100 records) is run again and again, crashing after the k-th file operation
/// for every k until it completes. What the disk holds after each crash is built five ways — unsynced
/// data dropped, kept, cut short, zero-filled or garbage-filled, with unsynced renames lost or kept —
/// and each must open as a valid registry holding every acknowledged record.
@Suite struct CrashTests {
    /// 20 commits (200 records) in CI; `Scripts/crash-enumerate` sets 100 (1,000 records), which takes
    /// about half an hour.
    static let batches = Int(ProcessInfo.processInfo.environment["SHIKAKU_CRASH_BATCHES"] ?? "") ?? 20
    static let size = 10

    @Test func everyCrashPointOpensWithEveryAcknowledgedRecord() throws {
        var crashPoint = 1
        var crashes = 0
        var states = 0
        while true {
            let files = StoreFixture.fileSystem()
            files.crashAt = crashPoint
            var acknowledged: [UInt64: [UInt8]] = [:]
            if let registry = try? StoreFixture.open(files) {
                StoreFixture.workload(registry, batches: Self.batches, size: Self.size, acknowledged: &acknowledged)
            }
            guard files.crashed else { break }
            crashes += 1
            for (name, state) in files.crashStates(seed: UInt64(crashPoint)) {
                let comment = Comment(rawValue: "crash after operation \(crashPoint), state \(name)")
                do {
                    let reopened = try StoreFixture.open(state)
                    try StoreFixture.checkHolds(acknowledged, in: reopened, comment)
                    if crashPoint % 25 == 0 {
                        let report = Registry.audit(StoreFixture.root, files: state)
                        #expect(report.isClean, "\(comment): \(report.problems)")
                    }
                } catch {
                    Issue.record("\(comment): \(error)")
                }
                states += 1
            }
            crashPoint += 1
        }
        #expect(crashes > Self.batches * 10)
        #expect(states == crashes * 5)
    }
}
