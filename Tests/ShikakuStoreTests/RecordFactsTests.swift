import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import Testing

@testable import ShikakuStore

/// Opening and rebuilding read a record's facts straight from its bytes: they must agree with the record
/// decoded whole, and the leaf built from them must be the one the log has always had.
@Suite struct RecordFactsTests {
    static let day = CalendarDate(daysSinceEpoch: 20_000)
    static let time = Timestamp(secondsSinceEpoch: 1_750_000_000)
    static let id = RegistrationID(qualification: "care-manager", number: "13000001")

    static func credential(_ n: Int, sealed: Bool) -> CredentialRecord {
        let record = CredentialRecord(
            hash: SHA256.hash("credential \(n)"), serial: n, authority: "tokyo", slot: StatusSlot(list: n, index: 70_000 + n),
            did: "did:key:z6MkfakeKey\(n)", seal: IssuedCredential.Seal(id: "uuid-\(n)", created: time, proofValue: "z\(n)"), effective: day)
        return sealed ? record : record.reference
    }

    static func change(_ event: RegistrationEvent, credential: CredentialRecord? = nil, supersedes: CredentialRecord? = nil,
        request: SHA256.Digest? = nil) -> JournalEntry
    {
        JournalEntry(
            time: time, authority: "tokyo",
            body: .registration(RegistrationChange(id: id, previous: 64, event: event, credential: credential, supersedes: supersedes, request: request)))
    }

    static var entries: [JournalEntry] {
        get throws {
            let holder = try Holder(name: "鈴木 \"一郎\"\\", nameKana: "スズキ イチロウ", birthDate: CalendarDate(iso: "1975-01-15"), sex: nil)
            let registering = Registering(
                id: id, holderKey: HolderKey(digest: SHA256.hash("holder")), holder: holder,
                evidence: RegistrationEvidence(exams: [Completion(name: "介護支援専門員実務研修受講試験", date: day)]), prefecture: Prefecture.withCode(13), date: day)
            return [
                JournalEntry(time: time, authority: "tokyo", body: .key(did: "did:key:z6MkfakeKey")),
                change(.register(registering), credential: credential(1, sealed: true)),
                change(.amend(Amendment(name: "佐藤 一郎", date: day))),
                change(.renew(CardRenewal(date: day, trainingCompletedOn: day)), credential: credential(2, sealed: true),
                    supersedes: credential(1, sealed: false), request: SHA256.hash("row 2")),
                change(.dispose(Disposition(kind: .practiceSuspension, date: day, from: day, until: day.adding(days: 30), reason: "理由"))),
                change(.dispose(Disposition(kind: .revocation, date: day, reason: "取消")), supersedes: credential(2, sealed: false)),
            ]
        }
    }

    /// Records are written member by member: the bytes must be the canonical form of the JSON they hold, with
    /// every member the format names (null where empty), and decode to what was written.
    @Test func aRecordIsTheCanonicalFormOfWhatItSays() throws {
        for entry in try Self.entries {
            let payload = entry.payload
            let text = String(decoding: payload, as: UTF8.self)
            let parsed = try JSONValue.parse(payload)
            #expect(parsed.canonicalBytes == payload, "\(text)")
            let names = parsed.objectValue?.keys ?? []
            if let change = entry.change {
                #expect(names == ["authority", "credential", "event", "kind", "previous", "registration"] + (change.request == nil ? [] : ["request"])
                    + ["supersedes", "time", "v"], "\(text)")
                let read = try #require(try JournalEntry(payload: payload, path: "journal", offset: 64).change)
                #expect(read.credential == change.credential && read.supersedes == change.supersedes && read.request == change.request)
                #expect(read.previous == change.previous && read.id == change.id && read.event.json == change.event.json)
                let credential = parsed.objectValue?["credential"]?.objectValue?.keys
                #expect(credential == (change.credential == nil ? nil : ["authority", "created", "did", "effective", "hash", "id", "proofValue", "serial", "slot"]))
                let ended = parsed.objectValue?["supersedes"]?.objectValue?.keys
                #expect(ended == (change.supersedes == nil ? nil : ["authority", "hash", "serial", "slot"]))
            } else {
                #expect(names == ["authority", "did", "kind", "time", "v"], "\(text)")
            }
            #expect(try JournalEntry(payload: payload, path: "journal", offset: 64).payload == payload)
        }
    }

    @Test func theFactsReadFromTheBytesAreThoseOfTheWholeRecord() throws {
        for entry in try Self.entries {
            let read = try RecordFacts(payload: entry.payload, path: "journal", offset: 64)
            #expect(read == RecordFacts(entry), "\(String(decoding: entry.payload, as: UTF8.self))")
        }
    }

    /// What the registry writes: the facts block, then the JSON. Both halves read back as the entry, and a
    /// record written before blocks (the JSON alone, as above) still reads the same.
    @Test func theFactsBlockReadsAsTheWholeRecord() throws {
        for entry in try Self.entries {
            let facts = RecordFacts(entry)
            let stored = FactsBlock.payload(facts, state: nil, json: entry.payload)
            #expect(stored.first == FactsBlock.tag && stored.count > entry.payload.count)
            #expect(try RecordFacts(payload: stored, path: "journal", offset: 64) == facts)
            #expect(Array(try FactsBlock.json(in: stored)) == entry.payload)
            #expect(try JournalEntry(payload: stored, path: "journal", offset: 64).payload == entry.payload)
            #expect(Array(try FactsBlock.json(in: entry.payload)) == entry.payload)
        }
    }

    /// Every cut of a block, a body or flag it does not define, bytes left over and a length past the record
    /// are damage at the record's offset, never facts.
    @Test func aDamagedFactsBlockIsDamage() throws {
        let entry = try Self.entries[3]
        let stored = FactsBlock.payload(RecordFacts(entry), state: nil, json: entry.payload)
        let blockEnd = 3 + Int(stored[1]) + Int(stored[2]) << 8
        var damaged: [[UInt8]] = []
        // Cut anywhere, and cut with its length saying so and the JSON after it.
        for cut in 1..<blockEnd { damaged.append(Array(stored[..<cut])) }
        for length in 0..<blockEnd - 3 {
            damaged.append([FactsBlock.tag, UInt8(length & 0xFF), UInt8(length >> 8)] + stored[3..<3 + length] + stored[blockEnd...])
        }
        var longer = stored
        longer[1] &+= 1
        damaged.append(longer)
        var past = stored
        past.replaceSubrange(1..<3, with: [0xFF, 0xFF])
        damaged.append(past)
        // Times no JSON record can spell: before year 1 (as far as the lowest), and after 9999.
        for seconds in [Int64.min, -62_135_596_801, 253_402_300_800, Int64.max] {
            var time = stored
            withUnsafeBytes(of: seconds.littleEndian) { time.replaceSubrange(3..<11, with: $0) }
            damaged.append(time)
        }
        // The body tag sits after the time (8) and the authority ("tokyo", 1 + 5).
        var body = stored
        body[3 + 8 + 6] = 7
        damaged.append(body)
        // The flags follow the key (8), "renew" (1 + 5) and no disposition (1).
        var flags = stored
        flags[3 + 8 + 6 + 1 + 8 + 6 + 1] |= 0x10
        damaged.append(flags)
        var kind = stored
        kind[3 + 8 + 6 + 1 + 8 + 1] = UInt8(ascii: "x")
        damaged.append(kind)
        for bytes in damaged {
            let error = #expect(throws: StoreError.self) { try RecordFacts(payload: bytes, path: "journal", offset: 640) }
            #expect(error?.code == .damaged && error?.offset == 640 && error?.path == "journal", "\(bytes.prefix(blockEnd))")
        }
        // A first byte that is neither a block's nor JSON's: a later version's format.
        let later = [UInt8(7)] + stored.dropFirst()
        let foreign = #expect(throws: StoreError.self) { try RecordFacts(payload: later, path: "journal", offset: 640) }
        #expect(foreign?.code == .foreignFile && foreign?.offset == 640)
        let truncated = Array(stored[..<2])
        #expect(throws: StoreError.self) { try JournalEntry(payload: truncated, path: "journal", offset: 640) }
    }

    @Test func theLeafKeepsItsFormAndHoldsNoPersonalData() throws {
        let entries = try Self.entries
        let leaves = entries.enumerated().map { String(decoding: $1.leaf(sequence: UInt64($0)), as: UTF8.self) }
        let first = CredentialHash.text(SHA256.hash("credential 1"))
        let second = CredentialHash.text(SHA256.hash("credential 2"))
        #expect(leaves[0] == #"{"authority":"tokyo","did":"did:key:z6MkfakeKey","seq":0,"time":"2025-06-15T15:06:40Z","type":"key","v":1}"#)
        #expect(leaves[1] == #"{"authority":"tokyo","credential":"\#(first)","qualification":"care-manager","seq":1,"slot":[1,70001],"time":"2025-06-15T15:06:40Z","type":"register","v":1}"#)
        #expect(leaves[3] == #"{"authority":"tokyo","credential":"\#(second)","qualification":"care-manager","seq":3,"slot":[2,70002],"supersedes":"\#(first)","time":"2025-06-15T15:06:40Z","type":"renew","v":1}"#)
        #expect(leaves[4].contains(#""disposition":"practiceSuspension""#))
        for (n, entry) in entries.enumerated() {
            #expect(RecordFacts(entry).leafHash(sequence: UInt64(n)) == Merkle.leafHash(entry.leaf(sequence: UInt64(n))))
        }
        for leaf in leaves { #expect(!leaf.contains("鈴木") && !leaf.contains("佐藤") && !leaf.contains("1975") && !leaf.contains("13000001")) }
    }

    @Test func aRecordThatDoesNotSayWhatTheIndexesNeedIsDamaged() throws {
        let payload = try Self.entries[3].payload
        let text = String(decoding: payload, as: UTF8.self)
        let damaged = [
            Array(payload.dropLast()),
            Array(text.replacingOccurrences(of: #""kind":"renew""#, with: #""kind":"renewed""#).utf8),
            Array(text.replacingOccurrences(of: #""kind":"registration""#, with: #""kind":"other""#).utf8),
            Array(text.replacingOccurrences(of: #""slot":[2,70002]"#, with: #""slot":[2]"#).utf8),
            Array(text.replacingOccurrences(of: #""serial":2"#, with: #""serial":"2""#).utf8),
            Array(text.replacingOccurrences(of: #""request":""#, with: #""request":"x"#).utf8),
            Array(text.replacingOccurrences(of: #""time":"2025-06-15T15:06:40Z","v":1}"#, with: #""v":1}"#).utf8),
            payload + Array(" {}".utf8),
        ]
        for bytes in damaged {
            #expect(bytes != payload)
            let error = #expect(throws: StoreError.self) { try RecordFacts(payload: bytes, path: "journal", offset: 640) }
            #expect(error?.code == .damaged && error?.offset == 640, "\(String(decoding: bytes, as: UTF8.self))")
        }
        let newer = Array(text.replacingOccurrences(of: #""v":1}"#, with: #""v":2}"#).utf8)
        #expect(throws: StoreError.self) { try RecordFacts(payload: newer, path: "journal", offset: 640) }
    }
}
