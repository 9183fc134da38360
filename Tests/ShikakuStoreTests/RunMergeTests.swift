import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// Merging two index runs gives every key once, in order, the newer run's entry where both have it: checked
/// against a dictionary for runs that interleave entry by entry, share keys, and hold stretches longer than a
/// merge copies at once.
@Suite struct RunMergeTests {
    static let registryID = [UInt8](repeating: 7, count: 16)

    static func run(_ entries: [UInt64: UInt64], at path: String, in files: SimulatedFileSystem) throws -> IndexRun {
        let sorted = entries.sorted { $0.key < $1.key }
        var next = 0
        try IndexRun.write(kind: .registrations, registryID: registryID, to: path, files: files) { out in
            guard next < sorted.count else { return false }
            out.appendBigEndian(sorted[next].key)
            out.appendBigEndian(sorted[next].value)
            next += 1
            return true
        }
        return try IndexRun(files: files, path: path, kind: .registrations, registryID: registryID)
    }

    @Test func aMergeKeepsEveryKeyOnceAndTheNewerEntry() throws {
        let files = SimulatedFileSystem()
        try files.makeDirectory("/index", permissions: 0o755)
        var random = SplitMix64(seed: 6_962)
        var older: [UInt64: UInt64] = [:]
        var newer: [UInt64: UInt64] = [:]
        for key in 1_000..<10_000 as Range<UInt64> { older[key] = key }  // one stretch of 9,000, past the copy limit
        for _ in 0..<3_000 { older[random.next() % 50_000 + 20_000] = 1 }
        for _ in 0..<3_000 { newer[random.next() % 60_000] = 2 }  // interleaved with both, and sharing keys
        let merged = older.merging(newer) { _, newest in newest }
        let path = "/index/merged.run"
        var merge = try RunMerge(
            older: try Self.run(older, at: "/index/older.run", in: files), newer: try Self.run(newer, at: "/index/newer.run", in: files),
            keySize: 8)
        try IndexRun.write(kind: .registrations, registryID: Self.registryID, to: path, files: files) { merge.appendNext(to: &$0) }
        let result = try IndexRun(files: files, path: path, kind: .registrations, registryID: Self.registryID)
        #expect(result.verify() == nil, "sorted, unique and matching its checksum")
        #expect(result.count == merged.count)
        let bytes = try result.mapped()
        for (position, (key, value)) in merged.sorted(by: { $0.key < $1.key }).enumerated() {
            let entry = result.entry(position, in: bytes)
            guard entry.loadBigEndian(UInt64.self, at: 0) == key, entry.loadBigEndian(UInt64.self, at: 8) == value else {
                Issue.record("entry \(position) is not \(key) → \(value)")
                return
            }
        }
    }

    /// A number is found by guessing where it lies between two others: checked for every key and the
    /// numbers either side of it, in runs whose keys are dense, sparse, in clusters far apart (registers of
    /// different qualifications), or spread as unevenly as 64 bits allow.
    @Test(arguments: ["dense", "sparse", "clusters", "uneven"])
    func everyNumberIsFoundAndNoOtherIs(layout: String) throws {
        let files = SimulatedFileSystem()
        try files.makeDirectory("/index", permissions: 0o755)
        var random = SplitMix64(seed: UInt64(layout.utf8.count))
        var entries: [UInt64: UInt64] = [:]
        for n in 1...3_000 as ClosedRange<UInt64> {
            let key: UInt64 =
                switch layout {
                case "dense": 1_000 + n
                case "sparse": random.next() % 10_000_000
                case "clusters": (n % 5 + 1) << 56 | (n / 5 + 13_000_000)
                default: n < 2_990 ? n : UInt64.max - (3_000 - n)
                }
            entries[key] = n
        }
        for count in [0, 1, 2, 9, 10, 3_000] {
            let some = Dictionary(uniqueKeysWithValues: entries.sorted { $0.key < $1.key }.prefix(count).map { ($0.key, $0.value) })
            let run = try Self.run(some, at: "/index/\(layout)-\(count).run", in: files)
            for key in some.keys {
                #expect(try run.value(ofNumber: key) == some[key], "\(layout): \(key)")
                for absent in [key &- 1, key &+ 1] where some[absent] == nil {
                    #expect(try run.value(ofNumber: absent) == nil, "\(layout): \(absent) is not in the run")
                }
            }
            #expect(try run.value(ofNumber: 0) == some[0])
            #expect(try run.value(ofNumber: .max) == some[.max])
        }
    }
}
