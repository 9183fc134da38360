import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku-bench registry …`: the registry at scale, one measurement per subcommand, each printing one
/// JSON object of figures (Scripts/bench-registry puts them beside SQLite, a C fdatasync loop and OpenSSL).
///
///     registry build DIR COUNT      COUNT registrations through the office API, in batches of 10,000
///     registry append DIR COUNT SQL COUNT events appended through the store (groups of 10,000 encoded on
///                                   every core, one sync each, one checkpoint); the same rows written as
///                                   SQL inserts to SQL
///     registry durable DIR COUNT    COUNT single events, each appended and synced on its own
///     registry open DIR             eleven read-only opens
///     registry lookup DIR COUNT     COUNT lookups of random registration numbers: the latest record, then the state
///     registry rebuild DIR          every index and stored hash remade from the journal
enum RegistryBench {
    static let passphrase = SecretBytes(copying: Array("benchmark passphrase".utf8))
    /// National registers whose only prerequisites are exams: registrations go round them in turn.
    static let registers: [QualificationCode] = ["physician", "dentist", "pharmacist", "registered-nurse"]
    static let batch = 10_000

    static func run(_ arguments: [String]) throws {
        guard arguments.count >= 2 else { throw BenchError(description: "usage: shikaku-bench registry build|append|durable|open|lookup|rebuild DIR …") }
        let directory = arguments[1]
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 0 : 0
        switch arguments[0] {
        case "build": try build(directory, count: count)
        case "append": try append(directory, count: count, sql: arguments.count > 3 ? arguments[3] : "")
        case "durable": try durable(directory, count: count)
        case "open": try open(directory)
        case "lookup": try lookup(directory, count: count)
        case "rebuild": try rebuild(directory)
        default: throw BenchError(description: "unknown registry benchmark \(arguments[0])")
        }
    }

    static func create(_ directory: String) throws -> Registry {
        try Registry.create(
            at: directory, name: "benchmark", origin: "bench.shikaku/log", baseURL: "https://bench.shikaku",
            authorities: [.init(id: "mhlw", name: "厚生労働大臣", prefecture: nil)], passphrase: passphrase)
    }

    /// The n-th registration of the benchmark: its register and number.
    static func registration(_ n: Int) -> RegistrationID {
        let code = registers[n % registers.count]
        let format = Catalog.all.first { $0.code == code }?.registrationNumber
        return RegistrationID(qualification: code, number: format?.format(sequence: n / registers.count + 1, prefecture: nil) ?? "")
    }

    static func person(_ n: Int) throws -> (Holder, RegistrationEvidence, HolderKey) {
        let holder = try Holder(
            name: "山田 花子\(n % 1000)", nameKana: "ヤマダ ハナコ", birthDate: CalendarDate(daysSinceEpoch: 7_000 + n % 10_000), sex: .female)
        let exam = CalendarDate(daysSinceEpoch: 18_000 + n % 1_000)
        let qualification = try Catalog.qualification(registers[n % registers.count])
        let exams = qualification.prerequisites.compactMap { requirement -> Completion? in
            if case .exam(let name, _) = requirement { return Completion(name: name, date: exam) }
            return nil
        }
        return (holder, RegistrationEvidence(exams: exams), HolderKey(digest: SHA256.hash("holder \(n)")))
    }

    // MARK: Building

    static func build(_ directory: String, count: Int) throws {
        let office = try Office(registry: try create(directory), authority: "mhlw", passphrase: passphrase)
        var trend: [(String, Double)] = []
        let start = now()
        for first in stride(from: 0, to: count, by: batch) {
            for n in first..<min(count, first + batch) {
                let (holder, evidence, key) = try person(n)
                try office.register(
                    registers[n % registers.count], holder: key, person: holder, evidence: evidence,
                    on: CalendarDate(daysSinceEpoch: 18_100 + n % 1_000))
            }
            try office.commit()
            let done = min(count, first + batch)
            if done % max(batch, count / 10) == 0 || done == count { trend.append(("rateAt\(done)", Double(done) / (now() - start))) }
        }
        try office.registry.flushIndexes()
        let elapsed = now() - start
        print(figures([("count", Double(count)), ("seconds", elapsed), ("rate", Double(count) / elapsed)] + trend + [("peakMemory", Double(peakMemory()))]))
    }

    /// Entries as the office writes them for a registration, with the state each leaves, without the signing
    /// (a credential record with a hash and a status slot per entry), so that only the store is measured.
    static func entries(count: Int, first: Int = 0) throws -> [(entry: JournalEntry, state: RegistrationRecord)] {
        try (first..<first + count).map { n in
            let (holder, evidence, key) = try person(n)
            let id = registration(n)
            let registering = Registering(
                id: id, holderKey: key, holder: holder, evidence: evidence, prefecture: nil, date: CalendarDate(daysSinceEpoch: 18_100 + n % 1_000))
            let credential = CredentialRecord(
                hash: SHA256.hash("credential \(n)"), serial: 1, authority: "mhlw", slot: StatusSlot(list: 1 + n / 100_000, index: n % 100_000),
                did: "did:key:z6MkbenchmarkbenchmarkbenchmarkbenchmarkbenchmarkAAAA", seal: nil, effective: nil)
            let change = RegistrationChange(id: id, previous: nil, event: .register(registering), credential: credential, supersedes: nil)
            let state = try LifeCycle.apply(change.event, to: nil, qualification: try Catalog.qualification(id.qualification))
            return (
                JournalEntry(time: Timestamp(secondsSinceEpoch: 1_780_000_000 + Int64(n)), authority: "mhlw", body: .registration(change)),
                RegistrationRecord(registration: state, authority: "mhlw", credential: credential, credentialOffset: nil, lastOffset: nil)
            )
        }
    }

    static func append(_ directory: String, count: Int, sql: String) throws {
        let registry = try create(directory)
        let logKey = try registry.logKey(passphrase: passphrase)
        let rows = try entries(count: count)
        // As a bulk loader writes: each group's entries encoded on every core (encoding needs nothing of the
        // registry) while the group before is appended in order and synced, one sync a group.
        let groups = stride(from: 0, to: count, by: batch).map { $0..<min(count, $0 + batch) }
        @Sendable func prepare(_ group: Range<Int>, first: UInt64) -> [PreparedEntry] {
            ParallelChunks.map(count: group.count, chunk: 256) { range in
                range.map {
                    let row = rows[group.lowerBound + $0]
                    return PreparedEntry(row.entry, sequence: first + UInt64($0), state: row.state)
                }
            }
        }
        let elapsed = try seconds {
            var prepared = prepare(groups[0], first: registry.nextSequence)
            for (n, group) in groups.enumerated() {
                let following = Slots<[PreparedEntry]>(count: 1)
                let encoded = DispatchGroup()
                if n + 1 < groups.count {
                    let next = groups[n + 1]
                    let first = registry.nextSequence + UInt64(group.count)
                    DispatchQueue.global().async(group: encoded) { following[0] = prepare(next, first: first) }
                }
                for entry in prepared { try registry.append(entry) }
                try registry.commit()
                encoded.wait()
                prepared = following[0] ?? []
            }
            try registry.signCheckpoint(with: logKey)
        }
        if !sql.isEmpty {
            var text = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nCREATE TABLE events(sequence INTEGER PRIMARY KEY, payload TEXT NOT NULL);\nBEGIN;\n"
            for (n, row) in rows.enumerated() {
                text += "INSERT INTO events VALUES(\(n + 1),'" + String(decoding: row.entry.payload, as: UTF8.self).replacingOccurrences(of: "'", with: "''") + "');\n"
            }
            text += "COMMIT;\n"
            try text.write(toFile: sql, atomically: false, encoding: .utf8)
        }
        print(figures([("count", Double(count)), ("seconds", elapsed), ("rate", Double(count) / elapsed)]))
    }

    static func durable(_ directory: String, count: Int) throws {
        let registry = try create(directory)
        let logKey = try registry.logKey(passphrase: passphrase)
        let rows = try entries(count: 2 * count)
        var single: [Double] = []
        var signed: [Double] = []
        for n in 0..<count {
            single.append(try seconds {
                try registry.append(PreparedEntry(rows[n].entry, sequence: registry.nextSequence, state: rows[n].state))
                try registry.commit()
            })
        }
        for n in count..<2 * count {
            signed.append(try seconds {
                try registry.append(PreparedEntry(rows[n].entry, sequence: registry.nextSequence, state: rows[n].state))
                try registry.commit()
                try registry.signCheckpoint(with: logKey)
            })
        }
        print(figures([
            ("count", Double(count)), ("medianSeconds", median(single)), ("p99Seconds", percentile(single, 0.99)),
            ("rate", 1 / median(single)), ("withCheckpointMedianSeconds", median(signed)), ("withCheckpointRate", 1 / median(signed)),
        ]))
    }

    // MARK: Reading

    static func open(_ directory: String) throws {
        var times: [Double] = []
        var size: UInt64 = 0
        for _ in 0..<11 {
            times.append(try seconds { size = try Registry(opening: directory, writable: false).size })
        }
        print(figures([("size", Double(size)), ("medianSeconds", median(times)), ("peakMemory", Double(peakMemory()))]))
    }

    static func lookup(_ directory: String, count: Int) throws {
        let registry = try Registry(opening: directory, writable: false)
        let registrations = Int(registry.size) - 2
        var random = SystemRandomNumberGenerator()
        let ids = (0..<count).map { _ in registration(Int.random(in: 0..<registrations, using: &random)) }
        // The latest record's bytes (what SQLite's lookup by rowid returns), then the state folded from the history.
        func measure(_ lookup: (RegistrationID) throws -> Bool) throws -> (rate: Double, p50: Double, p99: Double) {
            var times: [Double] = []
            times.reserveCapacity(count)
            let elapsed = try seconds {
                for id in ids {
                    let start = now()
                    guard try lookup(id) else { throw BenchError(description: "\(id) is not in the registry") }
                    times.append(now() - start)
                }
            }
            return (Double(count) / elapsed, median(times), percentile(times, 0.99))
        }
        let record = try measure { try registry.latestRecord(of: $0) != nil }
        let state = try measure { try registry.record(of: $0) != nil }
        print(figures([
            ("size", Double(registry.size)), ("count", Double(count)), ("rate", record.rate), ("p50Seconds", record.p50),
            ("p99Seconds", record.p99), ("stateRate", state.rate), ("stateP50Seconds", state.p50), ("stateP99Seconds", state.p99),
            ("peakMemory", Double(peakMemory())),
        ]))
    }

    static func rebuild(_ directory: String) throws {
        let registry = try Registry(opening: directory, writable: true)
        var records: UInt64 = 0
        let elapsed = try seconds { records = try registry.rebuildIndexes() }
        print(figures([("records", Double(records)), ("seconds", elapsed), ("peakMemory", Double(peakMemory()))]))
    }
}
