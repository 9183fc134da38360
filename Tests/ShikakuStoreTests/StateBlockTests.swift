import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// A record's state block is what reading a registration reads instead of its history: it must read back as
/// exactly the record it was made from, whatever fields are present, and damage to it must be damage.
@Suite struct StateBlockTests {
    static let id = RegistrationID(qualification: "care-manager", number: "13000001")
    static let offset: Int64 = 4_096

    /// Names and words of every kind a register holds: Japanese, ASCII, quotes, long.
    static let words = ["山田 花子", "ヤマダ ハナコ", "x", "a \"quoted\" \\ word", String(repeating: "長", count: 60), "介護支援専門員実務研修"]

    static func date(_ random: inout SplitMix64) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int.random(in: -25_000...2_900_000, using: &random))
    }

    static func maybe<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
        Bool.random(using: &random) ? make(&random) : nil
    }

    static func list<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> [T] {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in make(&random) }
    }

    static func word(_ random: inout SplitMix64) -> String { words.randomElement(using: &random)! }

    static func prefecture(_ random: inout SplitMix64) -> Prefecture { Prefecture.all.randomElement(using: &random)! }

    /// A registration with each field drawn at random: every optional present or not, lists of 0 to 3.
    static func registration(_ random: inout SplitMix64) throws -> Registration {
        let holder = try Holder(
            name: "山田 花子", nameKana: "ヤマダ ハナコ", formerSurname: maybe(&random) { _ in "佐藤" },
            birthDate: CalendarDate(daysSinceEpoch: Int.random(in: -25_000...20_000, using: &random)),
            sex: [nil, Sex.female, Sex.male].randomElement(using: &random)!)
        let completion = { (random: inout SplitMix64) in Completion(name: word(&random), date: date(&random)) }
        let evidence = RegistrationEvidence(
            exams: list(&random, completion), trainings: list(&random, completion),
            practice: maybe(&random) { random in
                PracticeRecord(
                    basis: maybe(&random) { _ in "registered-nurse" }, work: maybe(&random, word), years: Int.random(in: 0...40, using: &random),
                    days: Int.random(in: 0...9_000, using: &random))
            })
        let first = date(&random)
        return Registration(
            id: id, holderKey: HolderKey(digest: SHA256.hash("holder \(random.next())")), holder: holder, evidence: evidence,
            prefecture: maybe(&random, prefecture), registeredOn: date(&random),
            additions: list(&random) { random in RecordedAddition(code: word(&random), date: date(&random)) },
            reports: list(&random) { random in
                PeriodicReportFiling(
                    year: Int.random(in: 1950...2100, using: &random), filedOn: date(&random), practising: Bool.random(using: &random),
                    workplace: maybe(&random, prefecture))
            },
            dispositions: list(&random) { random in
                Disposition(
                    kind: DispositionKind.allCases.randomElement(using: &random)!, date: date(&random), from: maybe(&random, date),
                    until: maybe(&random, date), reason: word(&random), liftedOn: maybe(&random, date))
            },
            card: maybe(&random) { _ in first...first.adding(days: 1_826) }, certificateSerial: Int.random(in: 1...500, using: &random),
            reissues: list(&random) { random in Reissue(date: date(&random), reason: Reissue.Reason.allCases.randomElement(using: &random)!) },
            revokedOn: maybe(&random, date), relicensedOn: list(&random, date),
            erasure: maybe(&random) { random in Erasure(date: date(&random), reason: Erasure.Reason.allCases.randomElement(using: &random)!) })
    }

    static func credential(_ random: inout SplitMix64) -> CredentialRecord {
        let n = Int.random(in: 0...100_000, using: &random)
        return CredentialRecord(
            hash: SHA256.hash("credential \(n)"), serial: n, authority: "tokyo", slot: StatusSlot(list: 1 + n % 7, index: n),
            did: maybe(&random) { _ in "did:key:z6MkfakeKey\(n)" },
            seal: maybe(&random) { _ in IssuedCredential.Seal(id: "uuid-\(n)", created: Timestamp(secondsSinceEpoch: 1_750_000_000), proofValue: "z\(n)") },
            effective: maybe(&random, date))
    }

    /// A record as the office hands it to be written: a credential issued by the record itself (no offset) or by
    /// an earlier one, or none.
    static func record(_ random: inout SplitMix64) throws -> RegistrationRecord {
        let credential = maybe(&random, credential)
        let issuedBefore = credential != nil && Bool.random(using: &random)
        return RegistrationRecord(
            registration: try registration(&random), authority: ["tokyo", "mhlw"].randomElement(using: &random)!, credential: credential,
            credentialOffset: issuedBefore ? Int64.random(in: 0..<offset, using: &random) : nil, lastOffset: nil)
    }

    static let entry = JournalEntry(
        time: Timestamp(secondsSinceEpoch: 1_750_000_000), authority: "tokyo",
        body: .registration(
            RegistrationChange(
                id: id, previous: 64, event: .reissue(Reissue(date: CalendarDate(daysSinceEpoch: 20_000), reason: .lost)), credential: nil,
                supersedes: nil)))

    /// The payload the registry writes for `entry` with `state`.
    static func payload(_ state: RegistrationRecord?) -> [UInt8] {
        FactsBlock.payload(RecordFacts(entry), state: state, json: entry.payload)
    }

    /// The block of `state` alone, as ``payload(_:)`` holds it.
    static func block(_ state: RegistrationRecord) throws -> [UInt8] {
        let payload = payload(state)
        let range = try #require(try payload.withUnsafeBufferPointer { try FactsBlock.sections($0).state })
        return Array(payload[range])
    }

    /// A payload with `block` for its state block, whatever it holds, put together by hand: tag 2, the facts
    /// block, the state block's length and bytes, then the JSON.
    static func payload(block: [UInt8]) -> [UInt8] {
        let plain = payload(nil)
        let factsEnd = 3 + Int(plain[1]) + Int(plain[2]) << 8
        return [FactsBlock.stateTag] + plain[1..<factsEnd] + withUnsafeBytes(of: UInt32(block.count).littleEndian, Array.init) + block
            + plain[factsEnd...]
    }

    static func read(_ payload: [UInt8], id: RegistrationID = id) throws -> RegistrationRecord? {
        try StateBlock.record(in: payload, id: id, path: "journal", offset: offset)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func aStateBlockReadsBackAsTheRecordItWasMadeFrom(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<250 {
            let record = try Self.record(&random)
            let payload = Self.payload(record)
            #expect(payload == Self.payload(block: try Self.block(record)))
            var expected = record
            expected.lastOffset = Self.offset
            if record.credential != nil && record.credentialOffset == nil { expected.credentialOffset = Self.offset }
            #expect(try Self.read(payload) == expected)
            // The rest of the record reads as it did without the block.
            #expect(Array(try FactsBlock.json(in: payload)) == Array(try FactsBlock.json(in: Self.payload(nil))))
            #expect(try RecordFacts(payload: payload, path: "journal", offset: Self.offset) == RecordFacts(payload: Self.payload(nil), path: "journal", offset: Self.offset))
        }
    }

    @Test func aRecordWithoutABlockHasNoState() throws {
        #expect(try Self.read(Self.payload(nil)) == nil)
        #expect(Self.payload(nil).first == FactsBlock.tag)
    }

    /// A block cut anywhere (its length saying so), with a byte too many, or longer than the record, is damage
    /// at the record's offset; so is a block read for another registration than the record's.
    @Test func aDamagedStateBlockIsDamage() throws {
        var random = SplitMix64(seed: 9)
        let block = try Self.block(try Self.record(&random))
        var damaged = (0..<block.count).map { Self.payload(block: Array(block[..<$0])) }
        damaged.append(Self.payload(block: block + [0]))
        var longer = Self.payload(block: block)
        let lengthAt = 3 + Int(longer[1]) + Int(longer[2]) << 8
        longer[lengthAt + 2] &+= 1
        damaged.append(longer)
        for payload in damaged {
            #expect {
                _ = try Self.read(payload)
            } throws: { error in
                (error as? StoreError)?.code == .damaged && (error as? StoreError)?.offset == Self.offset
            }
        }
        let other = RegistrationID(qualification: "care-manager", number: "13000002")
        #expect(throws: StoreError.self) { _ = try Self.read(Self.payload(block: block), id: other) }
    }

    /// Each kind and reason is a position in a table: a position past the table is damage, not another kind.
    @Test func aKindPastItsTableIsDamage() throws {
        var random = SplitMix64(seed: 3)
        let record = try Self.record(&random)
        let block = try Self.block(record)
        // The holder's sex follows the key, three names (the former surname optional) and the date of birth.
        let name = Array(record.registration.holder.name.utf8).count, kana = Array(record.registration.holder.nameKana.utf8).count
        let former = record.registration.holder.formerSurname.map { 1 + 2 + Array($0.utf8).count } ?? 1
        let sexAt = 32 + 2 + name + 2 + kana + former + 4
        var bad = block
        bad[sexAt] = 3
        #expect(throws: StoreError.self) { _ = try Self.read(Self.payload(block: bad)) }
        #expect(try Self.read(Self.payload(block: block))?.registration == record.registration)
    }

    /// A field longer than its 16-bit length leaves the record without a block, to be read by folding.
    @Test func aFieldTooLongForTheBlockLeavesNoBlock() throws {
        var random = SplitMix64(seed: 5)
        var record = try Self.record(&random)
        let long = String(repeating: "理", count: 22_000)
        let day = CalendarDate(daysSinceEpoch: 20_000)
        record.registration = Registration(
            id: Self.id, holderKey: record.registration.holderKey, holder: record.registration.holder, evidence: record.registration.evidence,
            prefecture: nil, registeredOn: day, additions: [], reports: [],
            dispositions: [Disposition(kind: .warning, date: day, reason: long)], card: nil, certificateSerial: 1, reissues: [], revokedOn: nil,
            relicensedOn: [], erasure: nil)
        #expect(Self.payload(record) == Self.payload(nil))
    }
}

/// The audit holds each state block to the history folded: a block that says otherwise is reported at its
/// record, and a registration written without blocks is read by folding, as the same record.
@Suite struct StateBlockAuditTests {
    /// Writes a registration and an amendment of it to 佐藤 花子, the amendment's block holding `name` as the
    /// holder's name; returns the registry and the registration.
    static func registry(amendedBlockSays name: String) throws -> (SimulatedFileSystem, Registry, RegistrationID) {
        let files = StoreFixture.fileSystem()
        let registry = try StoreFixture.open(files)
        var previous: [RegistrationID: Int64] = [:]
        let (id, registering) = StoreFixture.entry(0, previous: &previous)
        let qualification = try Catalog.qualification(id.qualification)
        let registered = try LifeCycle.apply(try #require(registering.change).event, to: nil, qualification: qualification)
        let first = try registry.append(
            PreparedEntry(
                registering, sequence: registry.nextSequence,
                state: RegistrationRecord(registration: registered, authority: "mhlw", credential: nil, credentialOffset: nil, lastOffset: nil)))
        let day = CalendarDate(daysSinceEpoch: 19_000)
        let amend = RegistrationChange(id: id, previous: first.offset, event: .amend(Amendment(name: "佐藤 花子", date: day)), credential: nil, supersedes: nil)
        let said = try LifeCycle.apply(.amend(Amendment(name: name, date: day)), to: registered, qualification: qualification)
        try registry.append(
            PreparedEntry(
                JournalEntry(time: Timestamp(secondsSinceEpoch: 1_700_000_100), authority: "mhlw", body: .registration(amend)),
                sequence: registry.nextSequence,
                state: RegistrationRecord(registration: said, authority: "mhlw", credential: nil, credentialOffset: nil, lastOffset: nil)))
        try registry.commit()
        try registry.signCheckpoint(with: StoreFixture.baseline.logKey)
        return (files, registry, id)
    }

    @Test func aBlockThatIsTheFoldIsClean() throws {
        let (files, registry, id) = try Self.registry(amendedBlockSays: "佐藤 花子")
        #expect(Registry.audit(StoreFixture.root, files: files).isClean)
        #expect(try registry.record(of: id) == registry.fold(registry.history(of: id)))
        #expect(try registry.record(of: id)?.registration.holder.name == "佐藤 花子")
    }

    @Test func aBlockThatIsNotTheFoldIsReportedAtItsRecord() throws {
        let (files, registry, id) = try Self.registry(amendedBlockSays: "偽 花子")
        let report = Registry.audit(StoreFixture.root, files: files)
        let latest = try #require(try registry.history(of: id).last)
        #expect(report.problems.map(\.message) == ["record \(latest.sequence)'s state block is not \(id)'s history folded"])
        #expect(report.problems.first?.offset == latest.offset)
    }

    /// Records written without blocks (by an earlier version, or through `append(_:)` of an entry) are read by
    /// folding the history, and a block written after them takes over.
    @Test func aHistoryWithoutBlocksIsFolded() throws {
        let files = StoreFixture.fileSystem()
        let registry = try StoreFixture.open(files)
        var previous: [RegistrationID: Int64] = [:]
        var ids: Set<RegistrationID> = []
        for n in 0..<9 {
            let (id, entry) = StoreFixture.entry(n, previous: &previous)
            previous[id] = try registry.append(entry).offset
            ids.insert(id)
        }
        try registry.commit()
        for id in ids {
            #expect(try registry.latestRecord(of: id)?.payload.first == FactsBlock.tag)
            let folded = try #require(try registry.fold(registry.history(of: id)))
            #expect(try registry.record(of: id) == folded)
            #expect(folded.lastOffset == previous[id])
        }
    }
}
