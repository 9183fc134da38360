import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// A run keyed by digests (batch row keys, credential hashes, holders) finds each key's place by its bytes:
/// checked against a count of the smaller keys, for keys spread evenly, for keys that share their first 8
/// bytes (a holder's registrations, or two digests by chance), for prefixes, and for the smallest and largest
/// keys there can be.
@Suite struct RunSearchTests {
    static let registryID = [UInt8](repeating: 7, count: 16)

    /// A run of `kind` holding `entries`, which it sorts; each entry is `kind.entrySize` bytes.
    static func run(_ kind: IndexKind, _ entries: [[UInt8]], at path: String, in files: SimulatedFileSystem) throws -> IndexRun {
        let sorted = entries.sorted { $0.lexicographicallyPrecedes($1) }
        var next = 0
        try IndexRun.write(kind: kind, registryID: registryID, to: path, files: files) { out in
            guard next < sorted.count else { return false }
            out += sorted[next]
            next += 1
            return true
        }
        return try IndexRun(files: files, path: path, kind: kind, registryID: registryID)
    }

    static func bytes(_ count: Int, _ random: inout SplitMix64) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }

    /// Request keys, each with an 8-byte value: 2,000 drawn at random, 40 that share one head, and the
    /// smallest and largest keys.
    static func requestKeys() -> [[UInt8]] {
        var random = SplitMix64(seed: 4_021)
        var keys = (0..<2_000).map { _ in bytes(32, &random) }
        let shared = bytes(8, &random)
        keys += (0..<40).map { _ in shared + bytes(24, &random) }
        keys += [[UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xFF, count: 32)]
        return Array(Set(keys))
    }

    @Test(arguments: [0, 1, 2, 9, 10, 500, 2_042])
    func aDigestIsFoundWhereItIsAndNowhereElse(count: Int) throws {
        let files = SimulatedFileSystem()
        try files.makeDirectory("/index", permissions: 0o755)
        let all = Self.requestKeys().sorted { $0.lexicographicallyPrecedes($1) }
        let keys = stride(from: 0, to: all.count, by: max(1, all.count / max(count, 1))).prefix(count).map { all[$0] }
        let value = { (key: [UInt8]) in Array(key.suffix(8).reversed()) }
        let run = try Self.run(.requests, keys.map { $0 + value($0) }, at: "/index/requests-\(count).run", in: files)
        let bytes = try run.mapped()
        var random = SplitMix64(seed: UInt64(count))
        let some = stride(from: 0, to: keys.count, by: 5).map { keys[$0] }
        var probes = keys + Self.requestKeys().filter { !keys.contains($0) }.prefix(100)
        probes += some.map { var near = $0; near[31] &+= 1; return near } + some.map { Array($0.prefix(8)) }
        probes += (0..<100).map { _ in Self.bytes(32, &random) } + [[UInt8](repeating: 0, count: 8), [UInt8](repeating: 0xFF, count: 8)]
        for probe in probes {
            let smaller = keys.count { $0.lexicographicallyPrecedes(probe) }
            #expect(run.lowerBound(probe, in: bytes) == smaller, "\(probe.prefix(8)) lies after \(smaller) keys")
            if probe.count == 32 {
                #expect(try run.find(probe) == (keys.contains(probe) ? value(probe) : nil))
            }
        }
    }

    @Test func aHolderHasExactlyItsRegistrations() throws {
        let files = SimulatedFileSystem()
        try files.makeDirectory("/index", permissions: 0o755)
        var random = SplitMix64(seed: 77)
        var holders = (0..<500).map { _ in Self.bytes(32, &random) }
        holders.append(Array(holders[0].prefix(8)) + Self.bytes(24, &random))  // the same head as another holder
        var registrations: [[UInt8]: Set<UInt64>] = [:]
        for (index, holder) in holders.enumerated() {
            for _ in 0..<(index % 7 == 0 ? 32 : index % 3) { registrations[holder, default: []].insert(random.next()) }
        }
        let entries = registrations.flatMap { holder, keys in keys.map { key in holder + (0..<8).map { UInt8(truncatingIfNeeded: key >> (56 - 8 * $0)) } } }
        let run = try Self.run(.holders, entries, at: "/index/holders.run", in: files)
        for holder in holders {
            let found = try run.entries(withPrefix: holder).map { $0.withUnsafeBytes { $0.loadBigEndian(UInt64.self, at: 32) } }
            #expect(Set(found) == registrations[holder] ?? [] && found.count == registrations[holder]?.count ?? 0)
        }
    }

    /// Once a request run has been searched often enough to filter its keys, it answers every search as
    /// before: each key with its value, each other key (those that share a head with one included) with nothing.
    @Test func aFilteredRunAnswersAsBefore() throws {
        let files = SimulatedFileSystem()
        try files.makeDirectory("/index", permissions: 0o755)
        let keys = Self.requestKeys()
        let value = { (key: [UInt8]) in Array(key.suffix(8).reversed()) }
        let run = try Self.run(.requests, keys.map { $0 + value($0) }, at: "/index/requests.run", in: files)
        var random = SplitMix64(seed: 12)
        let absent = (0..<IndexRun.filterAfter).map { _ in Self.bytes(32, &random) } + keys.map { var near = $0; near[31] &+= 1; return near }
        for round in 0..<2 {
            for key in keys { #expect(try run.find(key) == value(key), "round \(round)") }
            for key in absent where !keys.contains(key) { #expect(try run.find(key) == nil, "round \(round)") }
        }
    }
}

/// The filter of a run's keys never says no to a key it holds, and says maybe to few of the others.
@Suite struct KeyFilterTests {
    @Test(arguments: [1, 63, 64, 1_000, 20_000])
    func noKeyIsMissedAndFewOthersPass(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        let keys = (0..<count).map { _ in RunSearchTests.bytes(32, &random) }
        let filter = keys.flatMap { $0 }.withUnsafeBytes { all in
            KeyFilter(count: count) { UnsafeRawBufferPointer(rebasing: all[$0 * 32..<$0 * 32 + 32]) }
        }
        for key in keys { #expect(key.withUnsafeBytes { filter.mayContain($0) }) }
        let others = (0..<20_000).map { _ in RunSearchTests.bytes(32, &random) }
        let passed = others.count { key in key.withUnsafeBytes { filter.mayContain($0) } }
        // Ten bits a key and seven probes: about 1% on average; 3% would be a filter gone wrong.
        #expect(passed < others.count * 3 / 100, "\(passed) of \(others.count) keys not held passed")
    }
}
