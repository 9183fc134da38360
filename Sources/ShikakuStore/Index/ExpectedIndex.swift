import ShikakuCrypto
import ShikakuModel

/// The indexes as the journal says they should be: built in memory by the audit, to compare.
struct ExpectedIndex {
    var registrations: [UInt64: Int64] = [:]
    var holders: [HolderKey: [UInt64]] = [:]
    var credentials: [SHA256.Digest: CredentialLocation] = [:]
    var requests: [SHA256.Digest: Int64] = [:]
    var ledger = StatusLedger()

    mutating func apply(_ facts: RecordFacts, at offset: Int64) {
        guard let change = facts.registration, let key = change.key else { return }
        registrations[key] = offset
        if let request = change.request { requests[request] = offset }
        if let holder = change.holderKey { holders[holder, default: []].append(key) }
        if change.disposition?.isTimeBound == true { ledger.noteTimeBound(key) }
        if let credential = change.credential {
            credentials[credential.hash] = CredentialLocation(registration: key, offset: offset, serial: credential.serial)
            ledger.markAllocated(credential.slot, for: credential.authority)
        }
        if let ended = change.supersedes { ledger.revoke(ended.slot, for: ended.authority) }
    }

    /// Whether every entry of `run` is expected.
    func contains(run: IndexRun) -> Bool {
        // One that cannot be mapped is reported by its verify().
        guard let bytes = try? run.mapped() else { return true }
        for position in 0..<run.count {
            let entry = run.entry(position, in: bytes)
            switch run.kind {
            case .registrations:
                let key = entry.loadBigEndian(UInt64.self, at: 0)
                guard registrations[key] != nil else { return false }
            case .holders:
                guard let holder = SHA256.Digest(bytes: entry[0..<32]).map(HolderKey.init(digest:)),
                    holders[holder]?.contains(entry.loadBigEndian(UInt64.self, at: 32)) == true
                else { return false }
            case .credentials:
                guard let hash = SHA256.Digest(bytes: entry[0..<32]), credentials[hash] != nil else { return false }
            case .requests:
                guard let key = SHA256.Digest(bytes: entry[0..<32]), requests[key] == entry.loadBigEndian(UInt64.self, at: 32).asOffset
                else { return false }
            }
        }
        return true
    }
}

/// Reads the stored hash file in order, for comparing with hashes recomputed from the journal.
struct StoredHashReader {
    let files: FileSystem
    let path: String
    private var file: FileHandle?
    private var position: Int64 = 0
    private var reported = false

    init(files: FileSystem, path: String) {
        self.files = files
        self.path = path
        file = try? files.open(path, .read, permissions: 0)
    }

    /// The first difference between the next stored hashes and `expected`, for leaf `leaf`.
    mutating func compare(_ expected: [SHA256.Digest], leaf: UInt64) -> (offset: Int64, message: String)? {
        guard !reported else { return nil }
        guard let file else {
            reported = true
            return (0, "the stored hashes cannot be read; the next writer's open (or `shikaku index rebuild`) remakes them from the journal")
        }
        let bytes = (try? files.read(file, at: position, count: expected.count * 32)) ?? []
        defer { position += Int64(expected.count * 32) }
        guard bytes.count == expected.count * 32 else {
            reported = true
            return (position, "the stored hashes end before leaf \(leaf); they are rebuilt at the next writer's open")
        }
        for (index, hash) in expected.enumerated() where Array(bytes[index * 32..<index * 32 + 32]) != hash.bytes {
            reported = true
            return (position + Int64(index * 32), "the stored hash for leaf \(leaf) does not match the journal")
        }
        return nil
    }

    /// A problem if the file holds hashes beyond the journal's `size` leaves; closes the file.
    mutating func finish(after size: UInt64) -> (offset: Int64, message: String)? {
        guard let file else { return nil }
        defer {
            files.close(file)
            self.file = nil
        }
        guard !reported, let length = try? files.size(of: file), length > position else { return nil }
        return (position, "the stored hashes go beyond the journal's \(size) records")
    }
}

extension UInt64 {
    var asOffset: Int64 { Int64(bitPattern: self) }
}
