import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel

/// A record's facts in binary, ahead of its JSON: what opening and rebuilding read of every record, at a
/// small fraction of the cost of scanning the JSON for it. The JSON stays the record; the block is derived
/// from it when the record is written, and the audit checks that the two agree.
///
///     payload:  u8 1 (a block follows; a payload that starts with "{" is JSON alone, as written before)
///               u16 block length, the block, then the canonical JSON; or
///               u8 2, u16 block length, the block, u32 state length, a ``StateBlock``, then the canonical JSON
///     block:    i64 time (POSIX seconds), str8 authority, u8 body (0 key, 1 registration), then
///       key:           str16 did
///       registration:  u64 registration key (``RegistrationKey``), str8 event kind, str8 disposition ("" for
///                      none), u8 flags (1 holder key, 2 credential, 4 supersedes, 8 request), then the
///                      flagged ones in that order: holder key (32), credential, supersedes, request (32)
///       credential:    hash (32), u32 serial, str8 authority, u32 status list, u32 index
/// Integers are little-endian; strN is an N-bit length and UTF-8.
enum FactsBlock {
    static let tag: UInt8 = 1
    /// The tag of a payload whose facts block is followed by a state block.
    static let stateTag: UInt8 = 2
    private static let headerSize = 3

    private enum Flag {
        static let holderKey: UInt8 = 1, credential: UInt8 = 2, supersedes: UInt8 = 4, request: UInt8 = 8
    }

    /// The payload that stores `json` with the block of `facts` before it, and the ``StateBlock`` of `state`
    /// after that if there is one (and it fits its lengths).
    static func payload(_ facts: RecordFacts, state: RegistrationRecord?, json: [UInt8]) -> [UInt8] {
        // One allocation: a bulk load encodes a million of these on workers and frees them on the writer.
        var payload: [UInt8] = []
        payload.reserveCapacity(headerSize + 256 + (state == nil ? 0 : 768) + json.count)
        payload += [tag, 0, 0]
        append(facts, to: &payload)
        guard let length = UInt16(exactly: payload.count - headerSize) else {
            preconditionFailure("a facts block of \(payload.count - headerSize) bytes: its names are bounded far below that")
        }
        payload[1] = UInt8(truncatingIfNeeded: length)
        payload[2] = UInt8(truncatingIfNeeded: length >> 8)
        if let state, StateBlock.append(state, to: &payload) { payload[0] = stateTag }
        payload += json
        return payload
    }

    /// Where a payload's parts are: its facts block, its state block if it has one, and its JSON.
    struct Sections {
        let facts: Range<Int>?
        let state: Range<Int>?
        let json: Range<Int>
    }

    /// The parts of `payload`.
    /// - Throws: `store.damaged` when a block's length runs past the payload; `store.foreign-file` when it
    ///   starts with neither a block nor JSON: a format of a later version.
    static func sections(_ payload: UnsafeBufferPointer<UInt8>) throws(StoreError) -> Sections {
        switch payload.first {
        case UInt8(ascii: "{"), nil: return Sections(facts: nil, state: nil, json: 0..<payload.count)
        case tag, stateTag: break
        case let other?: throw StoreError(.foreignFile, "a journal record starts with byte \(other): a format this version does not know")
        }
        var reader = BlockReader(payload, name: "facts block", from: 1)
        let factsEnd = headerSize + Int(try reader.integer(UInt16.self))
        guard factsEnd <= payload.count else { throw reader.damaged("runs past the record") }
        guard payload[0] == stateTag else { return Sections(facts: headerSize..<factsEnd, state: nil, json: factsEnd..<payload.count) }
        reader.position = factsEnd
        let stateStart = factsEnd + 4
        let stateLength = UInt64(try reader.integer(UInt32.self))
        guard stateLength <= UInt64(payload.count - stateStart) else {
            throw StoreError(.damaged, "a journal record's state block runs past the record")
        }
        let stateEnd = stateStart + Int(stateLength)
        return Sections(facts: headerSize..<factsEnd, state: stateStart..<stateEnd, json: stateEnd..<payload.count)
    }

    /// The JSON part of a payload.
    /// - Throws: `store.damaged` when a block's length runs past the payload.
    static func json(in payload: [UInt8]) throws(StoreError) -> ArraySlice<UInt8> {
        let range = try payload.withUnsafeBufferPointer { bytes throws(StoreError) in try sections(bytes).json }
        return payload[range]
    }

    /// The facts in the block of `payload`, or `nil` for JSON alone (which the caller then scans).
    /// - Throws: `store.damaged` when the block is cut short, has bytes left over or says what a record cannot.
    static func facts(in payload: UnsafeBufferPointer<UInt8>) throws(StoreError) -> RecordFacts? {
        guard let range = try sections(payload).facts else { return nil }
        var reader = BlockReader(payload, name: "facts block", from: range.lowerBound, to: range.upperBound)
        let seconds = try reader.integer(Int64.self)
        // The times a record's JSON can spell, years 1 to 9999: the leaf is written from this one.
        guard (-62_135_596_800...253_402_300_799).contains(seconds) else { throw reader.damaged("has a time outside years 1 to 9999") }
        let time = Timestamp(secondsSinceEpoch: seconds)
        let authority = try reader.string(lengthBytes: 1)
        let body: RecordFacts.Body
        switch try reader.byte() {
        case 0: body = .key(did: try reader.string(lengthBytes: 2))
        case 1: body = .registration(try registration(&reader))
        case let other: throw reader.damaged("has body \(other), neither key (0) nor registration (1)")
        }
        try reader.finish()
        return RecordFacts(time: time, authority: authority, body: body)
    }

    /// The registration key in the facts block at `range` of `payload`, read without the rest; `nil` for a key's record.
    static func registrationKey(_ payload: UnsafeBufferPointer<UInt8>, facts range: Range<Int>) throws(StoreError) -> UInt64? {
        var reader = BlockReader(payload, name: "facts block", from: range.lowerBound, to: range.upperBound)
        try reader.skip(MemoryLayout<Int64>.size)
        try reader.skip(Int(try reader.byte()))
        guard try reader.byte() == 1 else { return nil }
        return try reader.integer(UInt64.self)
    }

    private static func registration(_ reader: inout BlockReader) throws(StoreError) -> RecordFacts.Registration {
        let key = try reader.integer(UInt64.self)
        guard let id = RegistrationKey.decode(key) else { throw reader.damaged("names no registration") }
        let eventKind = try reader.index(among: eventKindNames).map { eventKinds[$0] }
        let disposition = try reader.index(among: dispositionNames).map { dispositions[$0] }
        let flags = try reader.byte()
        guard let eventKind, let disposition, flags & ~0xF == 0,
            (eventKind == "register") == (flags & Flag.holderKey != 0), (eventKind == "dispose") == (disposition != nil)
        else { throw reader.damaged("has an unknown or inconsistent event") }
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
            if let holder = registration.holderKey { out.appendDigest(holder.digest) }
            if let credential = registration.credential { append(credential, to: &out) }
            if let ended = registration.supersedes { append(ended, to: &out) }
            if let request = registration.request { out.appendDigest(request) }
        }
    }

    private static func append(_ credential: RecordFacts.Credential, to out: inout [UInt8]) {
        out.appendDigest(credential.hash)
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
        guard out.appendBlockString(text, lengthBytes: lengthBytes) else { preconditionFailure("a name too long for a facts block: \(text)") }
    }
}
