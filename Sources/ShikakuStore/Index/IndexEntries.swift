import Dispatch
import ShikakuCrypto

/// Index entries on their way into runs. A rebuild gathers them in journal order, as arrays rather than
/// the tail's dictionaries (a million records fill arrays several times faster); sorting then keeps the
/// latest entry for each key, as the tail's dictionaries do by overwriting.
struct IndexEntries {
    var registrations: [(key: UInt64, offset: Int64)] = []
    var holders: [(holder: SHA256.Digest, key: UInt64)] = []
    var requests: [(key: SHA256.Digest, offset: Int64)] = []
    var credentials: [(hash: SHA256.Digest, location: CredentialLocation)] = []

    /// Adds `other`'s entries after these.
    mutating func append(_ other: IndexEntries) {
        registrations += other.registrations
        holders += other.holders
        requests += other.requests
        credentials += other.credentials
    }

    /// Sorts each kind by key (one kind a core) and keeps, of entries with the same key, the one from the
    /// latest record: the one with the largest journal offset. Holder entries are whole keys, so only exact
    /// repeats go.
    mutating func sortKeepingLatest() {
        var registrations = self.registrations, holders = self.holders, requests = self.requests, credentials = self.credentials
        self = IndexEntries()
        withUnsafeMutablePointer(to: &registrations) { registrations in
            withUnsafeMutablePointer(to: &holders) { holders in
                withUnsafeMutablePointer(to: &requests) { requests in
                    withUnsafeMutablePointer(to: &credentials) { credentials in
                        let kinds = Pointers(registrations: registrations, holders: holders, requests: requests, credentials: credentials)
                        DispatchQueue.concurrentPerform(iterations: 4) { kind in kinds.sort(kind) }
                    }
                }
            }
        }
        self = IndexEntries(registrations: registrations, holders: holders, requests: requests, credentials: credentials)
    }

    /// The four arrays, each sorted by one thread only.
    private struct Pointers: @unchecked Sendable {
        let registrations: UnsafeMutablePointer<[(key: UInt64, offset: Int64)]>
        let holders: UnsafeMutablePointer<[(holder: SHA256.Digest, key: UInt64)]>
        let requests: UnsafeMutablePointer<[(key: SHA256.Digest, offset: Int64)]>
        let credentials: UnsafeMutablePointer<[(hash: SHA256.Digest, location: CredentialLocation)]>

        func sort(_ kind: Int) {
            switch kind {
            case 0: IndexEntries.keepLatest(&registrations.pointee, same: { $0.key == $1.key }) { ($0.key, $0.offset) < ($1.key, $1.offset) }
            case 1: IndexEntries.keepLatest(&holders.pointee, same: { $0 == $1 }) { ($0.holder, $0.key) < ($1.holder, $1.key) }
            case 2: IndexEntries.keepLatest(&requests.pointee, same: { $0.key == $1.key }) { ($0.key, $0.offset) < ($1.key, $1.offset) }
            default:
                IndexEntries.keepLatest(&credentials.pointee, same: { $0.hash == $1.hash }) {
                    ($0.hash, $0.location.offset) < ($1.hash, $1.location.offset)
                }
            }
        }
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
