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
            IndexEntries.keepLatest(&entries, same: { $0 == $1 }) { ($0.holder, $0.key) < ($1.holder, $1.key) }
        }
        let credentials = Background.changing(&credentials, emptied: []) { entries in
            IndexEntries.keepLatest(&entries, same: { $0.hash == $1.hash }) { ($0.hash, $0.location.offset) < ($1.hash, $1.location.offset) }
        }
        var registrations: [(key: UInt64, offset: Int64)] = []
        var requests: [(key: SHA256.Digest, offset: Int64)] = []
        swap(&registrations, &self.registrations)
        swap(&requests, &self.requests)
        IndexEntries.keepLatest(&registrations, same: { $0.key == $1.key }) { ($0.key, $0.offset) < ($1.key, $1.offset) }
        IndexEntries.keepLatest(&requests, same: { $0.key == $1.key }) { ($0.key, $0.offset) < ($1.key, $1.offset) }
        return Sorting(registrations: registrations, requests: requests, holders: holders, credentials: credentials)
    }

    /// The four kinds: two sorted, two being sorted on their own threads.
    struct Sorting {
        let registrations: [(key: UInt64, offset: Int64)]
        let requests: [(key: SHA256.Digest, offset: Int64)]
        let holders: Background<[(holder: SHA256.Digest, key: UInt64)]>
        let credentials: Background<[(hash: SHA256.Digest, location: CredentialLocation)]>
    }

    /// Sorts `entries` by `precedes` (key, then age) and keeps the last of each run of entries with the
    /// `same` key.
    private static func keepLatest<Entry>(
        _ entries: inout [Entry], same: (Entry, Entry) -> Bool, by precedes: (Entry, Entry) -> Bool
    ) {
        entries.sort(by: precedes)
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
}

/// What some records of a rebuild add to the index, gathered on any thread by
/// ``RegistryIndex/gather(_:at:into:)`` and taken in, in journal order, by ``RegistryIndex/takeIn(_:into:)``.
struct GatheredRecords: Sendable {
    var entries = IndexEntries()
    var ledgerChanges: [LedgerChange] = []
    var count = 0
}
