import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel

/// A registration's state after a record, in binary, after the record's ``FactsBlock``: what reading a
/// registration reads, one record and no JSON, where folding its history decodes every record of it (and
/// costs more with every event). Derived from the history when the record is written; the audit checks it
/// against the history folded. A record without one (written before, or with a field too long for it) is
/// read by folding.
///
///     state:         registration, str16 authority (whose register it is), opt current credential and place:
///                    u8 0 (issued by this record) or u8 1 and i64 (the offset of the record that issued it)
///     registration:  holder key (32), holder, evidence, opt u8 prefecture, date registered,
///                    u16 n × addition [str16 code, date], u16 n × report [i32 year, date filed, u8 practising,
///                    opt u8 workplace], u16 n × disposition [u8 kind, date, opt date from, opt date until,
///                    str16 reason, opt date lifted], opt card [date, date], u32 certificate serial,
///                    u16 n × reissue [date, u8 reason], opt date revoked, u16 n × date relicensed,
///                    opt erasure [date, u8 reason]
///     holder:        str16 name, str16 kana, opt str16 former surname, date of birth, u8 sex (a position in `sexes`)
///     evidence:      u16 n × exam [str16 name, date], u16 n × training [str16 name, date],
///                    opt practice [opt str16 basis, opt str16 work, i32 years, i32 days]
///     credential:    hash (32), u32 serial, str16 authority, u32 list, u32 index, opt str16 did,
///                    opt seal [str16 id, i64 created, str16 proof value], opt date effective
///     date:          u32 year << 9 | month << 5 | day         opt X: u8 0, or u8 1 then X
/// Integers are little-endian; str16 is a 16-bit length and UTF-8. Kinds and reasons are positions in the
/// tables below, which only ever grow at their ends.
enum StateBlock {
    fileprivate static let dispositionKinds: [DispositionKind] = [
        .warning, .order, .practiceSuspension, .titleSuspension, .practiceBan, .revocation,
    ]
    fileprivate static let reissueReasons: [Reissue.Reason] = [.lost, .damaged, .rewrite]
    fileprivate static let erasureReasons: [Erasure.Reason] = [.death, .application]
    fileprivate static let sexes: [Sex?] = [nil, .female, .male]

    /// Appends the block of `record` as of the record about to be written (a `credentialOffset` of `nil` beside
    /// a credential says that record issues it), after its u32 length; or appends nothing and returns false
    /// when a field is too long for the block's lengths.
    static func append(_ record: RegistrationRecord, to payload: inout [UInt8]) -> Bool {
        let start = payload.count
        // Written in place, the length filled in after: the block is most of a renewal's record.
        var out = StateWriter(bytes: [])
        swap(&out.bytes, &payload)
        out.bytes.appendLittleEndian(UInt32(0))
        out.registration(record.registration)
        out.string(record.authority)
        out.optional(record.credential) { out, credential in
            out.credential(credential)
            if let offset = record.credentialOffset {
                out.bytes.append(1)
                out.bytes.appendLittleEndian(offset)
            } else {
                out.bytes.append(0)
            }
        }
        swap(&payload, &out.bytes)
        guard out.fits, let length = UInt32(exactly: payload.count - start - 4) else {
            payload.removeSubrange(start...)
            return false
        }
        withUnsafeBytes(of: length.littleEndian) { payload.replaceSubrange(start..<start + 4, with: $0) }
        return true
    }

    /// The record the state block of `payload` holds, if it has one, for registration `id` whose record starts
    /// at `offset` in the journal at `path`.
    /// - Throws: `store.damaged`, naming the offset, when the block is damaged or the record is another's.
    static func record(in payload: [UInt8], id: RegistrationID, path: String, offset: Int64) throws(StoreError) -> RegistrationRecord? {
        let read = payload.withUnsafeBufferPointer { bytes in
            Result { () throws(StoreError) -> RegistrationRecord? in
                let sections = try FactsBlock.sections(bytes)
                guard let range = sections.state, let facts = sections.facts else { return nil }
                guard try FactsBlock.registrationKey(bytes, facts: facts) == RegistrationKey.encode(id) else {
                    throw StoreError(.damaged, "the index points \(id) at a record of something else; run `shikaku index rebuild`")
                }
                return try decode(bytes, range: range, id: id, offset: offset)
            }
        }
        do {
            return try read.get()
        } catch {
            throw StoreError(error.code, error.message, path: path, offset: offset)
        }
    }

    /// The record the block at `range` of `payload` holds, for registration `id` whose record starts at `offset`.
    /// - Throws: `store.damaged` when the block is cut short, has bytes left over or holds what no registration can.
    private static func decode(
        _ payload: UnsafeBufferPointer<UInt8>, range: Range<Int>, id: RegistrationID, offset: Int64
    ) throws(StoreError) -> RegistrationRecord {
        var reader = BlockReader(payload, name: "state block", from: range.lowerBound, to: range.upperBound)
        let registration = try reader.registration(id)
        let authority = try reader.text()
        var credential: CredentialRecord?
        var credentialOffset: Int64?
        if try reader.present() {
            credential = try reader.credential()
            switch try reader.byte() {
            case 0: credentialOffset = offset
            case 1:
                let issued = try reader.integer(Int64.self)
                guard 0 <= issued, issued < offset else { throw reader.damaged("places the credential at offset \(issued), not before the record") }
                credentialOffset = issued
            case let other: throw reader.damaged("places the credential by \(other), neither here (0) nor at an offset (1)")
            }
        }
        try reader.finish()
        return RegistrationRecord(
            registration: registration, authority: authority, credential: credential, credentialOffset: credentialOffset, lastOffset: offset)
    }

    /// A digest of `credential` as a block holds it: what the audit keeps of each registration's current
    /// credential to compare the later records' blocks with, rather than the whole record.
    static func digest(of credential: CredentialRecord) -> SHA256.Digest {
        var out = StateWriter(bytes: [])
        out.credential(credential)
        return SHA256.hash(out.bytes)
    }

    fileprivate static func position<T: Equatable>(of value: T, in table: [T]) -> UInt8 {
        guard let index = table.firstIndex(of: value) else { preconditionFailure("\(value) is missing from the state block's table") }
        return UInt8(index)
    }
}

/// Writes a state block, noting whether every field fit its length.
private struct StateWriter {
    var bytes: [UInt8]
    var fits = true

    mutating func string(_ text: String) {
        if !bytes.appendBlockString(text, lengthBytes: 2) { fits = false }
    }

    /// `items` after their count.
    @inline(__always)
    mutating func list<T>(_ items: [T], _ write: (inout StateWriter, T) -> Void) {
        guard let count = UInt16(exactly: items.count) else { return fits = false }
        bytes.appendLittleEndian(count)
        for item in items { write(&self, item) }
    }

    mutating func integer(_ value: Int) {
        guard let fixed = Int32(exactly: value) else { return fits = false }
        bytes.appendLittleEndian(fixed)
    }

    mutating func unsigned(_ value: Int) {
        guard let fixed = UInt32(exactly: value) else { return fits = false }
        bytes.appendLittleEndian(fixed)
    }

    mutating func date(_ date: CalendarDate) {
        // A CalendarDate's year is 1 to 9999, its month and day fit their 4 and 5 bits.
        bytes.appendLittleEndian(UInt32(date.year) << 9 | UInt32(date.month) << 5 | UInt32(date.day))
    }

    @inline(__always)
    mutating func optional<T>(_ value: T?, _ write: (inout StateWriter, T) -> Void) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        write(&self, value)
    }

    mutating func registration(_ registration: Registration) {
        bytes.appendDigest(registration.holderKey.digest)
        let holder = registration.holder
        string(holder.name)
        string(holder.nameKana)
        optional(holder.formerSurname) { $0.string($1) }
        date(holder.birthDate)
        bytes.append(StateBlock.position(of: holder.sex, in: StateBlock.sexes))
        let evidence = registration.evidence
        list(evidence.exams) { $0.completion($1) }
        list(evidence.trainings) { $0.completion($1) }
        optional(evidence.practice) { out, practice in
            out.optional(practice.basis) { $0.string($1.rawValue) }
            out.optional(practice.work) { $0.string($1) }
            out.integer(practice.years)
            out.integer(practice.days)
        }
        optional(registration.prefecture) { $0.bytes.append(UInt8($1.code)) }
        date(registration.registeredOn)
        list(registration.additions) { out, addition in
            out.string(addition.code)
            out.date(addition.date)
        }
        list(registration.reports) { out, report in
            out.integer(report.year)
            out.date(report.filedOn)
            out.bytes.append(report.practising ? 1 : 0)
            out.optional(report.workplace) { $0.bytes.append(UInt8($1.code)) }
        }
        list(registration.dispositions) { out, disposition in
            out.bytes.append(StateBlock.position(of: disposition.kind, in: StateBlock.dispositionKinds))
            out.date(disposition.date)
            out.optional(disposition.from) { $0.date($1) }
            out.optional(disposition.until) { $0.date($1) }
            out.string(disposition.reason)
            out.optional(disposition.liftedOn) { $0.date($1) }
        }
        optional(registration.card) { out, card in
            out.date(card.lowerBound)
            out.date(card.upperBound)
        }
        unsigned(registration.certificateSerial)
        list(registration.reissues) { out, reissue in
            out.date(reissue.date)
            out.bytes.append(StateBlock.position(of: reissue.reason, in: StateBlock.reissueReasons))
        }
        optional(registration.revokedOn) { $0.date($1) }
        list(registration.relicensedOn) { $0.date($1) }
        optional(registration.erasure) { out, erasure in
            out.date(erasure.date)
            out.bytes.append(StateBlock.position(of: erasure.reason, in: StateBlock.erasureReasons))
        }
    }

    private mutating func completion(_ completion: Completion) {
        string(completion.name)
        date(completion.date)
    }

    mutating func credential(_ credential: CredentialRecord) {
        bytes.appendDigest(credential.hash)
        unsigned(credential.serial)
        string(credential.authority)
        unsigned(credential.slot.list)
        unsigned(credential.slot.index)
        optional(credential.did) { $0.string($1) }
        optional(credential.seal) { out, seal in
            out.string(seal.id)
            out.bytes.appendLittleEndian(seal.created.secondsSinceEpoch)
            out.string(seal.proofValue)
        }
        optional(credential.effective) { $0.date($1) }
    }
}

extension BlockReader {
    fileprivate mutating func text() throws(StoreError) -> String { try string(lengthBytes: 2) }

    fileprivate mutating func count() throws(StoreError) -> Int { Int(try integer(UInt16.self)) }

    fileprivate mutating func date() throws(StoreError) -> CalendarDate {
        let packed = try integer(UInt32.self)
        guard let date = CalendarDate(year: Int(packed >> 9), month: Int(packed >> 5 & 0xF), day: Int(packed & 0x1F)) else {
            throw damaged("has a day that does not exist")
        }
        return date
    }

    @inline(__always)
    fileprivate mutating func optional<T>(_ read: (inout BlockReader) throws(StoreError) -> T) throws(StoreError) -> T? {
        try present() ? try read(&self) : nil
    }

    @inline(__always)
    fileprivate mutating func array<T>(_ read: (inout BlockReader) throws(StoreError) -> T) throws(StoreError) -> [T] {
        let count = try count()
        // Most lists of a registration are empty: an empty array allocates nothing, one with room does.
        guard count > 0 else { return [] }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try read(&self)) }
        return items
    }

    fileprivate mutating func prefecture() throws(StoreError) -> Prefecture {
        let code = try byte()
        guard let prefecture = Prefecture.withCode(Int(code)) else { throw damaged("names prefecture \(code), which does not exist") }
        return prefecture
    }

    fileprivate mutating func registration(_ id: RegistrationID) throws(StoreError) -> Registration {
        let holderKey = HolderKey(digest: try digest())
        let name = try text(), kana = try text(), formerSurname = try optional { r throws(StoreError) in try r.text() }
        let birthDate = try date()
        let sex = try entry(of: StateBlock.sexes, "sex")
        let holder = Holder(recorded: name, nameKana: kana, formerSurname: formerSurname, birthDate: birthDate, sex: sex)
        let exams = try array { r throws(StoreError) in try r.completion() }
        let trainings = try array { r throws(StoreError) in try r.completion() }
        let practice = try optional { r throws(StoreError) in
            PracticeRecord(
                basis: try r.optional { r throws(StoreError) in QualificationCode(rawValue: try r.text()) },
                work: try r.optional { r throws(StoreError) in try r.text() },
                years: Int(try r.integer(Int32.self)), days: Int(try r.integer(Int32.self)))
        }
        let prefecture = try optional { r throws(StoreError) in try r.prefecture() }
        let registeredOn = try date()
        let additions = try array { r throws(StoreError) in RecordedAddition(code: try r.text(), date: try r.date()) }
        let reports = try array { r throws(StoreError) in
            PeriodicReportFiling(
                year: Int(try r.integer(Int32.self)), filedOn: try r.date(), practising: try r.present(),
                workplace: try r.optional { r throws(StoreError) in try r.prefecture() })
        }
        let dispositions = try array { r throws(StoreError) in
            Disposition(
                kind: try r.entry(of: StateBlock.dispositionKinds, "disposition kind"), date: try r.date(),
                from: try r.optional { r throws(StoreError) in try r.date() }, until: try r.optional { r throws(StoreError) in try r.date() },
                reason: try r.text(), liftedOn: try r.optional { r throws(StoreError) in try r.date() })
        }
        let card = try optional { r throws(StoreError) -> ClosedRange<CalendarDate> in
            let first = try r.date(), last = try r.date()
            guard first <= last else { throw r.damaged("has a card that ends before it starts") }
            return first...last
        }
        let serial = Int(try integer(UInt32.self))
        let reissues = try array { r throws(StoreError) in Reissue(date: try r.date(), reason: try r.entry(of: StateBlock.reissueReasons, "reissue reason")) }
        let revokedOn = try optional { r throws(StoreError) in try r.date() }
        let relicensedOn = try array { r throws(StoreError) in try r.date() }
        let erasure = try optional { r throws(StoreError) in Erasure(date: try r.date(), reason: try r.entry(of: StateBlock.erasureReasons, "erasure reason")) }
        return Registration(
            id: id, holderKey: holderKey, holder: holder, evidence: RegistrationEvidence(exams: exams, trainings: trainings, practice: practice),
            prefecture: prefecture, registeredOn: registeredOn, additions: additions, reports: reports, dispositions: dispositions, card: card,
            certificateSerial: serial, reissues: reissues, revokedOn: revokedOn, relicensedOn: relicensedOn, erasure: erasure)
    }

    private mutating func completion() throws(StoreError) -> Completion { Completion(name: try text(), date: try date()) }

    fileprivate mutating func credential() throws(StoreError) -> CredentialRecord {
        let hash = try digest()
        let serial = Int(try integer(UInt32.self))
        let authority = try text()
        let slot = StatusSlot(list: Int(try integer(UInt32.self)), index: Int(try integer(UInt32.self)))
        let did = try optional { r throws(StoreError) in try r.text() }
        let seal = try optional { r throws(StoreError) in
            IssuedCredential.Seal(id: try r.text(), created: Timestamp(secondsSinceEpoch: try r.integer(Int64.self)), proofValue: try r.text())
        }
        let effective = try optional { r throws(StoreError) in try r.date() }
        return CredentialRecord(hash: hash, serial: serial, authority: authority, slot: slot, did: did, seal: seal, effective: effective)
    }
}
