import ShikakuCrypto

/// Index entries on their way into runs. A rebuild gathers them in journal order, as arrays rather than
/// the tail's dictionaries (a million records fill arrays several times faster); sorting then keeps the
/// latest entry for each key, as the tail's dictionaries do by overwriting.
struct IndexEntries {
    var registrations: [(key: UInt64, offset: Int64)] = []
    var holders: [(holder: SHA256.Digest, key: UInt64)] = []
    var requests: [(key: SHA256.Digest, offset: Int64)] = []
    var credentials: [(hash: SHA256.Digest, location: CredentialLocation)] = []

    /// Makes room for the entries of `records` records, as a rebuild knows them: growing by doubling would
    /// copy each array several times over.
    mutating func reserve(records: Int) {
        registrations.reserveCapacity(records)
        holders.reserveCapacity(records)
        credentials.reserveCapacity(records)
    }

    /// Adds `other`'s entries after these.
    mutating func append(_ other: IndexEntries) {
        registrations += other.registrations
        holders += other.holders
        requests += other.requests
        credentials += other.credentials
    }

    /// Each kind sorted by key, keeping, of entries with the same key, the one from the latest record: the
    /// one with the largest journal offset. Holder entries are whole keys, so only exact repeats go. The
    /// entries are taken, leaving these empty. The registrations are sorted on this thread, the first to be
    /// written, while the larger kinds sort on others and can be written as each is done.
    mutating func sortingKeepingLatest() -> Sorting {
        let holders = Background.changing(&holders, emptied: []) { entries in
            IndexEntries.sortByDigest(&entries, leading: \.holder.leadingBits) { ($0.holder, $0.key) < ($1.holder, $1.key) }
            IndexEntries.keepLatest(&entries) { $0 == $1 }
        }
        let credentials = Background.changing(&credentials, emptied: []) { entries in
            IndexEntries.sortByDigest(&entries, leading: \.hash.leadingBits) { ($0.hash, $0.location.offset) < ($1.hash, $1.location.offset) }
            IndexEntries.keepLatest(&entries) { $0.hash == $1.hash }
        }
        var registrations: [(key: UInt64, offset: Int64)] = []
        var requests: [(key: SHA256.Digest, offset: Int64)] = []
        swap(&registrations, &self.registrations)
        swap(&requests, &self.requests)
        registrations.sort { ($0.key, $0.offset) < ($1.key, $1.offset) }
        IndexEntries.keepLatest(&registrations) { $0.key == $1.key }
        IndexEntries.sortByDigest(&requests, leading: \.key.leadingBits) { ($0.key, $0.offset) < ($1.key, $1.offset) }
        IndexEntries.keepLatest(&requests) { $0.key == $1.key }
        return Sorting(registrations: registrations, requests: requests, holders: holders, credentials: credentials)
    }

    /// The four kinds: two sorted, two being sorted on their own threads.
    struct Sorting {
        let registrations: [(key: UInt64, offset: Int64)]
        let requests: [(key: SHA256.Digest, offset: Int64)]
        let holders: Background<[(holder: SHA256.Digest, key: UInt64)]>
        let credentials: Background<[(hash: SHA256.Digest, location: CredentialLocation)]>
    }

    /// Keeps, of each run of sorted `entries` with the `same` key, the last: sorted by key, then age, the latest.
    private static func keepLatest<Entry>(_ entries: inout [Entry], same: (Entry, Entry) -> Bool) {
        var kept = 0
        for index in entries.indices {
            if kept > 0, same(entries[kept - 1], entries[index]) {
                entries[kept - 1] = entries[index]
            } else {
                entries[kept] = entries[index]
                kept += 1
            }
        }
        entries.removeSubrange(kept...)
    }

    /// Sorts `entries` by `precedes`, whose keys lead with a digest (`leading` gives its first bits). Digests
    /// are spread evenly, so a pass counting their top bits and a pass copying each entry into its bucket
    /// leave buckets of about eight, each then sorted where it lies: a million sort in a quarter of the time
    /// the standard sort takes, and the end of a rebuild waits on this sort. (Moving entries in place
    /// instead, to hold no copy, was no faster than the standard sort.) A bucket that is not small (keys
    /// made to collide) is sorted as a whole, so no input makes it quadratic.
    static func sortByDigest<Entry>(_ entries: inout [Entry], leading: (Entry) -> UInt64, by precedes: (Entry, Entry) -> Bool) {
        let count = entries.count
        // About eight entries a bucket, at most 2¹⁶ buckets (half a megabyte of counts, which stay in cache).
        let bits = min(16, Int.bitWidth - count.leadingZeroBitCount - 3)
        guard bits >= 4 else {
            entries.sort(by: precedes)
            return
        }
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        for entry in entries { starts[Int(leading(entry) >> shift) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var next = starts
        var sorted = [Entry](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            for entry in entries {
                let bucket = Int(leading(entry) >> shift)
                (base + next[bucket]).initialize(to: entry)
                next[bucket] += 1
            }
            initialized = count
        }
        entries = []
        sorted.withUnsafeMutableBufferPointer { buffer in
            for bucket in 0..<(1 << bits) {
                let range = starts[bucket]..<starts[bucket + 1]
                guard range.count > 1 else { continue }
                guard range.count <= 32 else {
                    buffer[range].sort(by: precedes)
                    continue
                }
                for index in range.dropFirst() {
                    let entry = buffer[index]
                    var place = index
                    while place > range.lowerBound, precedes(entry, buffer[place - 1]) {
                        buffer[place] = buffer[place - 1]
                        place -= 1
                    }
                    buffer[place] = entry
                }
            }
        }
        entries = sorted
    }
}

/// What some records of a rebuild add to the index, gathered on any thread by
/// ``RegistryIndex/gather(_:at:into:)`` and taken in, in journal order, by ``RegistryIndex/takeIn(_:into:)``.
struct GatheredRecords: Sendable {
    var entries = IndexEntries()
    var ledgerChanges: [LedgerChange] = []
    var count = 0
}
