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

    /// Sorts `entries` by `precedes`, whose keys lead with a digest (`leading` gives its first eight bytes).
    /// Digests are spread evenly, so sorting on their bytes one at a time (a most-significant-digit radix
    /// sort, in place: an American flag sort) leaves, after two bytes for a million entries, buckets of a
    /// dozen or so, each finished by insertion. A million sort in about a quarter of the time the standard
    /// sort takes, and with no second copy: on this machine the first touch of fresh memory costs as much
    /// as the sort. A bucket still large after eight bytes (keys made to collide) gets the standard sort,
    /// so no input makes it quadratic.
    static func sortByDigest<Entry>(_ entries: inout [Entry], leading: (Entry) -> UInt64, by precedes: (Entry, Entry) -> Bool) {
        entries.withUnsafeMutableBufferPointer { buffer in
            radixSort(buffer, buffer.indices, byte: 0, leading: leading, by: precedes)
        }
    }

    private static func radixSort<Entry>(
        _ buffer: UnsafeMutableBufferPointer<Entry>, _ range: Range<Int>, byte: Int, leading: (Entry) -> UInt64,
        by precedes: (Entry, Entry) -> Bool
    ) {
        guard range.count > 32 else {
            insertionSort(buffer, range, by: precedes)
            return
        }
        guard byte < 8 else {
            buffer[range].sort(by: precedes)
            return
        }
        let shift = UInt64(56 - 8 * byte)
        func bucket(_ entry: Entry) -> Int { Int(truncatingIfNeeded: leading(entry) >> shift) & 0xFF }
        var starts = [Int](repeating: 0, count: 257)
        for index in range { starts[bucket(buffer[index]) + 1] += 1 }
        starts[0] = range.lowerBound
        for value in 1...256 { starts[value] += starts[value - 1] }
        // The entry in hand is swapped into the next free place of its bucket until one belongs where it
        // was taken from. With 256 buckets those places stay in cache, so the swaps cost little.
        var next = Array(starts[..<256])
        for value in 0..<256 {
            while next[value] < starts[value + 1] {
                var entry = buffer[next[value]]
                var home = bucket(entry)
                while home != value {
                    swap(&entry, &buffer[next[home]])
                    next[home] += 1
                    home = bucket(entry)
                }
                buffer[next[value]] = entry
                next[value] += 1
            }
        }
        for value in 0..<256 {
            radixSort(buffer, starts[value]..<starts[value + 1], byte: byte + 1, leading: leading, by: precedes)
        }
    }

    private static func insertionSort<Entry>(_ buffer: UnsafeMutableBufferPointer<Entry>, _ range: Range<Int>, by precedes: (Entry, Entry) -> Bool) {
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

/// What some records of a rebuild add to the index, gathered on any thread by
/// ``RegistryIndex/gather(_:at:into:)`` and taken in, in journal order, by ``RegistryIndex/takeIn(_:into:)``.
struct GatheredRecords: Sendable {
    var entries = IndexEntries()
    var ledgerChanges: [LedgerChange] = []
    var count = 0
}
