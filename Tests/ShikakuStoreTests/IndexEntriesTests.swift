import ShikakuCrypto
import ShikakuTestSupport
import Testing

@testable import ShikakuStore

/// Sorting a rebuild's entries keeps each key once, with its latest entry, in byte order: checked against a
/// dictionary for sizes around the bucketing thresholds, keys repeated many times, and digests that all share
/// their leading bytes (one bucket holds every entry).
@Suite struct IndexEntriesTests {
    /// A digest of random bytes after `shared` fixed ones.
    static func digest(_ random: inout SplitMix64, shared: Int) -> SHA256.Digest {
        let bytes = (0..<32).map { $0 < shared ? UInt8(0xA5) : UInt8.random(in: 0...255, using: &random) }
        return bytes.withUnsafeBufferPointer { SHA256.Digest(bytes: $0)! }
    }

    @Test(arguments: [0, 1, 2, 15, 16, 17, 200, 5_000, 70_000])
    func eachKeyOnceWithItsLatestEntryInOrder(count: Int) {
        for shared in [0, 1, 4, 32] {
            var random = SplitMix64(seed: UInt64(count * 40 + shared))
            // Some keys repeat (a credential reissued to the same hash cannot, but requests and holders do).
            var keys: [SHA256.Digest] = []
            var entries = IndexEntries()
            var latestCredential: [SHA256.Digest: Int64] = [:]
            var latestRequest: [SHA256.Digest: Int64] = [:]
            var holders: Set<[UInt8]> = []
            for offset in 0..<Int64(count) {
                let key = !keys.isEmpty && random.next() % 4 == 0 ? keys[Int(random.next() % UInt64(keys.count))] : Self.digest(&random, shared: shared)
                keys.append(key)
                let registration = random.next() % 3
                entries.credentials.append((key, CredentialLocation(registration: registration, offset: offset, serial: 1)))
                entries.requests.append((key, offset))
                entries.holders.append((key, registration))
                latestCredential[key] = offset
                latestRequest[key] = offset
                holders.insert(key.bytes + withUnsafeBytes(of: registration.bigEndian) { Array($0) })
            }
            // Appended out of order: the sort, not the order of arrival, decides.
            entries.credentials.shuffle(using: &random)
            entries.requests.shuffle(using: &random)
            entries.holders.shuffle(using: &random)
            let sorting = entries.sortingKeepingLatest()
            let credentials = sorting.credentials.wait()
            #expect(credentials.map(\.hash) == latestCredential.keys.sorted(), "count \(count), shared \(shared)")
            #expect(credentials.allSatisfy { latestCredential[$0.hash] == $0.location.offset })
            #expect(sorting.requests.map(\.key) == latestRequest.keys.sorted())
            #expect(sorting.requests.allSatisfy { latestRequest[$0.key] == $0.offset })
            let sortedHolders = sorting.holders.wait().map { $0.holder.bytes + withUnsafeBytes(of: $0.key.bigEndian) { Array($0) } }
            #expect(sortedHolders == holders.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }
}
