import ShikakuCrypto
import ShikakuModel
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// A registry created once on the simulated file system, copied for each test, and a workload of
/// registrations and amendments written straight through the store (no credentials: they are the
/// office's business, and the store only carries their records).
enum StoreFixture {
    static let root = "/registry"
    static let passphrase = SecretBytes(copying: Array("store test passphrase".utf8))

    struct Baseline: Sendable {
        let files: [String: [UInt8]]
        let directories: Set<String>
        let logKey: Ed25519.PrivateKey
    }

    static let baseline = makeBaseline()
    /// A second registry of the same name: another registry ID and log key.
    static let otherBaseline = makeBaseline()

    private static func makeBaseline() -> Baseline {
        let files = SimulatedFileSystem()
        do {
            let registry = try Registry.create(
                at: root, name: "test", origin: "test.example/log", baseURL: "https://test.example",
                authorities: [.init(id: "mhlw", name: "厚生労働大臣", prefecture: nil)], passphrase: passphrase, files: files,
                now: Timestamp(secondsSinceEpoch: 1_700_000_000))
            let key = try registry.logKey(passphrase: passphrase)
            let snapshot = files.snapshot()
            return Baseline(files: snapshot.files, directories: snapshot.directories, logKey: key)
        } catch {
            preconditionFailure("cannot create the test registry: \(error)")
        }
    }

    /// A fresh copy of the created registry.
    static func fileSystem() -> SimulatedFileSystem {
        SimulatedFileSystem(files: baseline.files, directories: baseline.directories)
    }

    /// A fresh copy of the second registry.
    static func otherRegistry() -> SimulatedFileSystem {
        SimulatedFileSystem(files: otherBaseline.files, directories: otherBaseline.directories)
    }

    static func open(_ files: SimulatedFileSystem, writable: Bool = true, threshold: Int = 100) throws -> Registry {
        try Registry(opening: root, files: files, writable: writable, indexFlushThreshold: threshold)
    }

    /// The n-th entry of the workload: registrations, with every third an amendment of an earlier one.
    static func entry(_ n: Int, previous: inout [RegistrationID: Int64]) -> (RegistrationID, JournalEntry) {
        let time = Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(n))
        let day = CalendarDate(daysSinceEpoch: 18_000 + n)
        if n % 3 == 2, let target = previous.keys.sorted().dropFirst(n % max(1, previous.count)).first ?? previous.keys.sorted().first {
            let change = RegistrationChange(
                id: target, previous: previous[target], event: .amend(Amendment(name: "佐藤 花子\(n)", date: day)), credential: nil, supersedes: nil)
            return (target, JournalEntry(time: time, authority: "mhlw", body: .registration(change)))
        }
        let id = RegistrationID(qualification: "physician", number: Catalog.all[0].registrationNumber.format(sequence: n + 1, prefecture: nil))
        guard let holder = try? Holder(name: "山田 花子", nameKana: "ヤマダ ハナコ", birthDate: CalendarDate(iso: "1990-01-01"), sex: .female) else {
            preconditionFailure("bad holder")
        }
        let registering = Registering(
            id: id, holderKey: HolderKey(digest: SHA256.hash("holder \(n)")), holder: holder,
            evidence: RegistrationEvidence(exams: [Completion(name: "医師国家試験", date: day)]), prefecture: nil, date: day)
        let change = RegistrationChange(id: id, previous: nil, event: .register(registering), credential: nil, supersedes: nil)
        return (id, JournalEntry(time: time, authority: "mhlw", body: .registration(change)))
    }

    /// Runs `batches` commits of `size` entries each, signing a checkpoint after each, and records what
    /// was acknowledged (sequence → payload). Stops at the first error, which it returns.
    @discardableResult
    static func workload(
        _ registry: Registry, batches: Int, size: Int, acknowledged: inout [UInt64: [UInt8]],
        logKey: Ed25519.PrivateKey = baseline.logKey
    ) -> Error? {
        workload(registry, batches: batches, size: size, logKey: logKey) { acknowledged[$0] = $1 }
    }

    /// The workload, telling `acknowledge` of each record (sequence, payload) as soon as its commit returns.
    @discardableResult
    static func workload(
        _ registry: Registry, batches: Int, size: Int, logKey: Ed25519.PrivateKey = baseline.logKey,
        acknowledge: (UInt64, [UInt8]) -> Void
    ) -> Error? {
        var previous: [RegistrationID: Int64] = [:]
        var n = 0
        do {
            for _ in 0..<batches {
                var written: [(UInt64, [UInt8], RegistrationID, Int64)] = []
                for _ in 0..<size {
                    let (id, entry) = entry(n, previous: &previous)
                    let position = try registry.append(entry)
                    written.append((position.sequence, FactsBlock.payload(RecordFacts(entry), state: nil, json: entry.payload), id, position.offset))
                    n += 1
                }
                try registry.commit()
                for (sequence, payload, id, offset) in written {
                    acknowledge(sequence, payload)
                    previous[id] = offset
                }
                try registry.signCheckpoint(with: logKey)
            }
        } catch {
            return error
        }
        return nil
    }

    /// Checks that `registry` holds every acknowledged record, byte for byte.
    static func checkHolds(_ acknowledged: [UInt64: [UInt8]], in registry: Registry, _ comment: Comment) throws {
        #expect(registry.size >= UInt64(acknowledged.count) + 1, comment)
        var found = 0
        try registry.journal.forEach { record in
            if let payload = acknowledged[record.sequence] {
                #expect(payload == record.payload, comment)
                found += 1
            }
        }
        #expect(found == acknowledged.count, comment)
    }
}
