import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// A batch that commits one group while the next is checked has drawn status slots for records not written
/// yet. The status snapshot an index flush writes is the journal's alone: a process that dies there leaves a
/// registry that audits clean, and a discard gives the slots back.
@Suite struct SlotsDrawnAheadTests {
    /// The n-th workload entry, carrying a credential in `slot`.
    static func issuing(_ n: Int, slot: StatusSlot) -> JournalEntry {
        var previous: [RegistrationID: Int64] = [:]
        let (id, entry) = StoreFixture.entry(n * 3, previous: &previous)
        guard case .registration(let change) = entry.body else { preconditionFailure("a registration") }
        let credential = CredentialRecord(
            hash: SHA256.hash("credential \(n)"), serial: 1, authority: "mhlw", slot: slot, did: "did:key:z6MkfakeKey",
            seal: IssuedCredential.Seal(id: "uuid-\(n)", created: entry.time, proofValue: "z\(n)"), effective: CalendarDate(daysSinceEpoch: 18_000))
        return JournalEntry(
            time: entry.time, authority: "mhlw",
            body: .registration(RegistrationChange(id: id, previous: nil, event: change.event, credential: credential, supersedes: nil)))
    }

    @Test func slotsDrawnForTheNextGroupStayOutOfTheSnapshot() throws {
        let files = StoreFixture.fileSystem()
        do {
            let registry = try StoreFixture.open(files, threshold: 2)
            for n in 0..<3 { try registry.append(Self.issuing(n, slot: try registry.allocateSlot(for: "mhlw"))) }
            // The next group's draws, made before this group commits; then the process dies.
            let ahead = try (0..<5).map { _ in try registry.allocateSlot(for: "mhlw") }
            try registry.commit()
            #expect(registry.index.tailCount == 0, "the commit flushed the index")
            let snapshot = try StatusLedger(snapshot: try files.readAll(try #require(try Self.statusFile(files))), path: "status")
            let written = ahead.filter { Self.allocated($0, in: snapshot) }
            #expect(written.isEmpty, "slots drawn for no record are in the snapshot: \(written)")
            registry.discardBatch()
            let live = try registry.index.statusLedger()
            let kept = ahead.filter { Self.allocated($0, in: live) }
            #expect(kept.isEmpty, "a discard gives the slots back: \(kept)")
        }
        let report = Registry.audit(StoreFixture.root, files: files)
        #expect(report.isClean, "\(report.problems)")
    }

    static func statusFile(_ files: SimulatedFileSystem) throws -> String? {
        files.snapshot().files.keys.filter { $0.hasPrefix(StoreFixture.root + "/index/status-") }.max()
    }

    static func allocated(_ slot: StatusSlot, in ledger: StatusLedger) -> Bool {
        ledger.lists["mhlw"].map { $0.count >= slot.list && $0[slot.list - 1].allocated[slot.index] } ?? false
    }
}
