import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel

/// A record's facts in binary, ahead of its JSON: what opening and rebuilding read of every record, at a
/// small fraction of the cost of scanning the JSON for it. The JSON stays the record; the block is derived
/// from it when the record is written, and the audit checks that the two agree.
///
///     payload:  u8 1 (a block follows; a payload that starts with "{" is JSON alone, as written before)
///               u16 block length, the block, then the canonical JSON
///     block:    i64 time (POSIX seconds), str8 authority, u8 body (0 key, 1 registration), then
///       key:           str16 did
///       registration:  u64 registration key (``RegistrationKey``), str8 event kind, str8 disposition ("" for
///                      none), u8 flags (1 holder key, 2 credential, 4 supersedes, 8 request), then the
///                      flagged ones in that order: holder key (32), credential, supersedes, request (32)
///       credential:    hash (32), u32 serial, str8 authority, u32 status list, u32 index
/// Integers are little-endian; strN is an N-bit length and UTF-8.
enum FactsBlock {
    static let tag: UInt8 = 1
    private static let headerSize = 3

    private enum Flag {
        static let holderKey: UInt8 = 1, credential: UInt8 = 2, supersedes: UInt8 = 4, request: UInt8 = 8
    }

    /// The payload that stores `json` with the block of `facts` before it.
    static func payload(_ facts: RecordFacts, json: [UInt8]) -> [UInt8] {
        // One allocation: a bulk load encodes a million of these on workers and frees them on the writer.
        var payload: [UInt8] = []
        payload.reserveCapacity(headerSize + 256 + json.count)
        payload += [tag, 0, 0]
        append(facts, to: &payload)
        guard let length = UInt16(exactly: payload.count - headerSize) else {
            preconditionFailure("a facts block of \(payload.count - headerSize) bytes: its names are bounded far below that")
        }
        payload[1] = UInt8(truncatingIfNeeded: length)
        payload[2] = UInt8(truncatingIfNeeded: length >> 8)
        payload += json
        return payload
    }

    /// The JSON part of a payload.
    /// - Throws: `store.damaged` when a block's length runs past the payload.
    static func json(in payload: [UInt8]) throws(StoreError) -> ArraySlice<UInt8> {
        guard payload.first == tag else { return payload[...] }
        guard payload.count >= headerSize else { throw StoreError(.damaged, "a journal record's facts block is cut short") }
        let end = headerSize + Int(UInt16(payload[1]) | UInt16(payload[2]) << 8)
        guard end <= payload.count else { throw StoreError(.damaged, "a journal record's facts block runs past the record") }
        return payload[end...]
    }

    /// Whether `payload` starts with a block.
    /// - Throws: `store.foreign-file` when it starts with neither a block nor JSON: a format of a later version.
    static func starts(_ payload: UnsafeBufferPointer<UInt8>) throws(StoreError) -> Bool {
        switch payload.first {
        case tag: return true
        case UInt8(ascii: "{"), nil: return false
        case let other?: throw StoreError(.foreignFile, "a journal record starts with byte \(other): a format this version does not know")
        }
    }

    /// The facts in the block at the start of `payload`.
    /// - Throws: `store.damaged` when the block is cut short, has bytes left over or says what a record cannot.
    static func facts(in payload: UnsafeBufferPointer<UInt8>) throws(StoreError) -> RecordFacts {
        var reader = BlockReader(payload)
        guard try reader.byte() == tag else { throw StoreError(.damaged, "a journal record does not start with a facts block") }
        let length = Int(try reader.integer(UInt16.self))
        guard length <= payload.count - headerSize else { throw StoreError(.damaged, "a journal record's facts block runs past the record") }
        reader.end = headerSize + length
        let seconds = try reader.integer(Int64.self)
        // The times a record's JSON can spell, years 1 to 9999: the leaf is written from this one.
        guard (-62_135_596_800...253_402_300_799).contains(seconds) else {
            throw StoreError(.damaged, "a journal record's facts block has a time outside years 1 to 9999")
        }
        let time = Timestamp(secondsSinceEpoch: seconds)
        let authority = try reader.string(lengthBytes: 1)
        let body: RecordFacts.Body
        switch try reader.byte() {
        case 0: body = .key(did: try reader.string(lengthBytes: 2))
        case 1: body = .registration(try registration(&reader))
        case let other: throw StoreError(.damaged, "a journal record's facts block has body \(other), neither key (0) nor registration (1)")
        }
        guard reader.position == reader.end else { throw StoreError(.damaged, "a journal record's facts block has bytes left over") }
        return RecordFacts(time: time, authority: authority, body: body)
    }

    private static func registration(_ reader: inout BlockReader) throws(StoreError) -> RecordFacts.Registration {
        let key = try reader.integer(UInt64.self)
        guard let id = RegistrationKey.decode(key) else {
            throw StoreError(.damaged, "a journal record's facts block names no registration")
        }
        let eventKind = try reader.index(among: eventKindNames).map { eventKinds[$0] }
        let disposition = try reader.index(among: dispositionNames).map { dispositions[$0] }
        let flags = try reader.byte()
        guard let eventKind, let disposition, flags & ~0xF == 0,
            (eventKind == "register") == (flags & Flag.holderKey != 0), (eventKind == "dispose") == (disposition != nil)
        else { throw StoreError(.damaged, "a journal record's facts block has an unknown or inconsistent event") }
        return RecordFacts.Registration(
            id: id, key: key, eventKind: eventKind, disposition: disposition,
            holderKey: flags & Flag.holderKey != 0 ? HolderKey(digest: try reader.digest()) : nil,
            credential: flags & Flag.credential != 0 ? try credential(&reader) : nil,
            supersedes: flags & Flag.supersedes != 0 ? try credential(&reader) : nil,
            request: flags & Flag.request != 0 ? try reader.digest() : nil)
    }

    private static let eventKinds = RegistrationEvent.kinds.sorted()
    private static let eventKindNames = eventKinds.map { Array($0.utf8) }
    /// The disposition kinds, and none, which the empty name spells.
    private static let dispositions: [DispositionKind?] = [nil] + DispositionKind.allCases
    private static let dispositionNames = dispositions.map { Array(($0?.rawValue ?? "").utf8) }

    private static func credential(_ reader: inout BlockReader) throws(StoreError) -> RecordFacts.Credential {
        let hash = try reader.digest()
        let serial = Int(try reader.integer(UInt32.self))
        let authority = try reader.string(lengthBytes: 1)
        let list = Int(try reader.integer(UInt32.self)), index = Int(try reader.integer(UInt32.self))
        return RecordFacts.Credential(hash: hash, serial: serial, authority: authority, slot: StatusSlot(list: list, index: index))
    }

    private static func append(_ facts: RecordFacts, to out: inout [UInt8]) {
        out.appendLittleEndian(facts.time.secondsSinceEpoch)
        appendString(facts.authority, lengthBytes: 1, to: &out)
        switch facts.body {
        case .key(let did):
            out.append(0)
            appendString(did, lengthBytes: 2, to: &out)
        case .registration(let registration):
            out.append(1)
            guard let key = registration.key else {
                preconditionFailure("\(registration.id) has no index key: the life cycle only records registrations of the catalog")
            }
            out.appendLittleEndian(key)
            appendString(registration.eventKind, lengthBytes: 1, to: &out)
            appendString(registration.disposition?.rawValue ?? "", lengthBytes: 1, to: &out)
            var flags: UInt8 = 0
            if registration.holderKey != nil { flags |= Flag.holderKey }
            if registration.credential != nil { flags |= Flag.credential }
            if registration.supersedes != nil { flags |= Flag.supersedes }
            if registration.request != nil { flags |= Flag.request }
            out.append(flags)
            if let holder = registration.holderKey { holder.digest.withUnsafeBytes { out.append(contentsOf: $0) } }
            if let credential = registration.credential { append(credential, to: &out) }
            if let ended = registration.supersedes { append(ended, to: &out) }
            if let request = registration.request { request.withUnsafeBytes { out.append(contentsOf: $0) } }
        }
    }

    private static func append(_ credential: RecordFacts.Credential, to out: inout [UInt8]) {
        credential.hash.withUnsafeBytes { out.append(contentsOf: $0) }
        out.appendLittleEndian(fixed(credential.serial))
        appendString(credential.authority, lengthBytes: 1, to: &out)
        out.appendLittleEndian(fixed(credential.slot.list))
        out.appendLittleEndian(fixed(credential.slot.index))
    }

    /// Serials and status slots are small counts the registry itself assigns.
    private static func fixed(_ value: Int) -> UInt32 {
        guard let fixed = UInt32(exactly: value) else { preconditionFailure("\(value) does not fit a facts block's 32 bits") }
        return fixed
    }

    private static func appendString(_ text: String, lengthBytes: Int, to out: inout [UInt8]) {
        let bytes = text.utf8
        precondition(bytes.count < 1 << (8 * lengthBytes), "a name too long for a facts block: \(text)")
        if lengthBytes == 1 { out.append(UInt8(bytes.count)) } else { out.appendLittleEndian(UInt16(bytes.count)) }
        out += bytes
    }
}

/// Reads a facts block front to back, never past its end.
private struct BlockReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        end = bytes.count
    }

    private mutating func take(_ count: Int) throws(StoreError) -> UnsafeBufferPointer<UInt8> {
        guard count <= end - position else { throw StoreError(.damaged, "a journal record's facts block is cut short") }
        defer { position += count }
        return UnsafeBufferPointer(rebasing: bytes[position..<position + count])
    }

    mutating func byte() throws(StoreError) -> UInt8 { try take(1)[0] }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(StoreError) -> T {
        UnsafeRawBufferPointer(try take(MemoryLayout<T>.size)).loadLittleEndian(T.self, at: 0)
    }

    mutating func digest() throws(StoreError) -> SHA256.Digest {
        guard let digest = SHA256.Digest(bytes: try take(SHA256.byteCount)) else { preconditionFailure("32 bytes make a digest") }
        return digest
    }

    /// Which of `known` the short string here spells, if any: names are matched as bytes, so that no string
    /// is made or compared for each record.
    mutating func index(among known: [[UInt8]]) throws(StoreError) -> Int? {
        let utf8 = try take(Int(try byte()))
        return known.firstIndex { $0.count == utf8.count && $0.elementsEqual(utf8) }
    }

    mutating func string(lengthBytes: Int) throws(StoreError) -> String {
        let count = lengthBytes == 1 ? Int(try byte()) : Int(try integer(UInt16.self))
        let utf8 = try take(count)
        // The names a block holds are ASCII; decoding those cannot repair anything, and costs less than validating.
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw StoreError(.damaged, "a journal record's facts block has a name that is not UTF-8")
        }
        return text
    }
}
