import ShikakuCredentials
import ShikakuCrypto

/// Which status slots each authority has handed out, and which are revoked: derived from the journal,
/// snapshotted with the indexes.
///
/// Each credential takes one slot, the same index in its authority's revocation list and suspension
/// list. Slots are drawn at random (W3C BSL §6.1: a list's indexes must not reveal order of issue) and
/// never reused; a list is closed at three quarters full, so that random draws stay quick, and a new
/// one is opened.
struct StatusLedger: Sendable, Equatable {
    struct List: Sendable, Equatable {
        var allocated = BitstringStatusList()
        var revoked = BitstringStatusList()
        var used = 0
    }

    /// Lists by authority; list n is at index n − 1.
    private(set) var lists: [String: [List]] = [:]
    /// Registration keys with a suspension or ban on record, whose suspension bits depend on the day.
    private(set) var timeBound: Set<UInt64> = []

    static let fill = BitstringStatusList.minimumEntries * 3 / 4

    /// Draws a fresh slot for `authority`.
    ///
    /// The lists are changed in place (`lists[authority, default: []]…`): copying one out of the dictionary
    /// would make every change copy its 32 KiB of bits.
    mutating func allocate(for authority: String, from random: SecureRandom.Pool) throws(CryptoError) -> StatusSlot {
        if lists[authority]?.last.map({ $0.used < StatusLedger.fill }) != true { lists[authority, default: []].append(List()) }
        let number = lists[authority, default: []].count
        var index: Int
        repeat {
            index = Int(try random.uniform(below: UInt64(BitstringStatusList.minimumEntries)))
        } while lists[authority, default: []][number - 1].allocated[index]
        let slot = StatusSlot(list: number, index: index)
        markAllocated(slot, for: authority)
        return slot
    }

    /// Records a slot handed out (when replaying the journal).
    mutating func markAllocated(_ slot: StatusSlot, for authority: String) {
        // One lookup of the authority, not one a step: a rebuild marks a slot a record.
        StatusLedger.markAllocated(slot, in: &lists[authority, default: []])
    }

    private static func markAllocated(_ slot: StatusSlot, in lists: inout [List]) {
        while lists.count < slot.list { lists.append(List()) }
        guard !lists[slot.list - 1].allocated[slot.index] else { return }
        lists[slot.list - 1].allocated[slot.index] = true
        lists[slot.list - 1].used += 1
    }

    /// Sets a slot's revocation bit.
    mutating func revoke(_ slot: StatusSlot, for authority: String) {
        markAllocated(slot, for: authority)
        lists[authority]?[slot.list - 1].revoked[slot.index] = true
    }

    /// Notes that a registration has a suspension or ban on record.
    mutating func noteTimeBound(_ key: UInt64) { timeBound.insert(key) }

    /// Whether a slot's revocation bit is set.
    func isRevoked(_ slot: StatusSlot, for authority: String) -> Bool {
        guard let list = lists[authority], slot.list >= 1, slot.list <= list.count else { return false }
        return list[slot.list - 1].revoked[slot.index]
    }

    // Snapshot: "SHIKAKU-STATUS\n\0" | u32 version | u32 authorities | per authority: u16 id length, id,
    // u32 lists, per list: u32 used, allocated bits, revoked bits | u64 time-bound count, keys | u32 CRC-32.

    var snapshot: [UInt8] {
        var bytes = Array("SHIKAKU-STATUS\n\0".utf8)
        bytes.appendLittleEndian(UInt32(1))
        bytes.appendLittleEndian(UInt32(lists.count))
        for (authority, authorityLists) in lists.sorted(by: { $0.key < $1.key }) {
            bytes.appendLittleEndian(UInt16(authority.utf8.count))
            bytes += Array(authority.utf8)
            bytes.appendLittleEndian(UInt32(authorityLists.count))
            for list in authorityLists {
                bytes.appendLittleEndian(UInt32(list.used))
                bytes += list.allocated.bytes
                bytes += list.revoked.bytes
            }
        }
        bytes.appendLittleEndian(UInt64(timeBound.count))
        for key in timeBound.sorted() { bytes.appendLittleEndian(key) }
        bytes.appendLittleEndian(CRC32.checksum(bytes))
        return bytes
    }

    init() {}

    init(snapshot bytes: [UInt8], path: String) throws(StoreError) {
        let damaged = StoreError(.damaged, "the status snapshot is damaged", path: path)
        guard bytes.count >= 28, Array(bytes[0..<16]) == Array("SHIKAKU-STATUS\n\0".utf8) else { throw damaged }
        let crc = bytes.withUnsafeBytes { $0.loadLittleEndian(UInt32.self, at: bytes.count - 4) }
        guard CRC32.checksum(Array(bytes.dropLast(4))) == crc else { throw damaged }
        var reader = ByteReader(bytes: bytes, position: 16)
        guard let version: UInt32 = reader.read(), version == 1, let authorities: UInt32 = reader.read() else { throw damaged }
        let listBytes = BitstringStatusList.minimumEntries / 8
        for _ in 0..<authorities {
            guard let length: UInt16 = reader.read(), let name = reader.bytes(Int(length)), let count: UInt32 = reader.read() else {
                throw damaged
            }
            var authorityLists: [List] = []
            for _ in 0..<count {
                guard let used: UInt32 = reader.read(), let allocated = reader.bytes(listBytes), let revoked = reader.bytes(listBytes) else {
                    throw damaged
                }
                authorityLists.append(
                    List(allocated: BitstringStatusList(bytes: allocated), revoked: BitstringStatusList(bytes: revoked), used: Int(used)))
            }
            lists[String(decoding: name, as: UTF8.self)] = authorityLists
        }
        guard let keys: UInt64 = reader.read() else { throw damaged }
        for _ in 0..<keys {
            guard let key: UInt64 = reader.read() else { throw damaged }
            timeBound.insert(key)
        }
    }
}

/// Reads little-endian values from bytes, returning `nil` past the end.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int

    mutating func read<T: FixedWidthInteger>() -> T? {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count else { return nil }
        defer { position += size }
        return bytes.withUnsafeBytes { $0.loadLittleEndian(T.self, at: position) }
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }
}
