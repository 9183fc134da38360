import ShikakuModel
import ShikakuOffice
import ShikakuStore
import ShikakuTestSupport
import Testing

/// Each record the office writes carries the registration's state after it, which reading a registration
/// reads instead of folding the history. Random histories, several events of a registration in one batch and
/// across groups committed while the next is signed: after every commit, every registration read from its
/// state block must be its history folded, also as it stood at each of its records, and the audit clean.
@Suite struct RecordStateTests {
    static let qualifications: [QualificationCode] = ["registered-nurse", "physician", "care-manager"]

    static let careManagerEvidence = RegistrationEvidence(
        exams: [Completion(name: "介護支援専門員実務研修受講試験", date: OfficeFixture.date("2017-10-08"))],
        trainings: [Completion(name: "介護支援専門員実務研修", date: OfficeFixture.date("2018-03-10"))],
        practice: PracticeRecord(work: "相談援助業務", years: 8, days: 1_900))

    /// An event proposed at random; the life cycle refuses those that do not fit.
    static func event(_ random: inout SplitMix64, day: CalendarDate) -> RegistrationEvent {
        let later = day.adding(days: Int.random(in: 1...400, using: &random))
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return .amend(Amendment(name: "佐藤 花子\(random.next() % 100)", formerSurname: Bool.random(using: &random) ? "山田" : nil, date: day))
        case 1: return .recordAddition(RecordedAddition(code: "clinical-training", date: day))
        case 2: return .renew(CardRenewal(date: day, trainingCompletedOn: day.adding(days: -20)))
        case 3: return .report(PeriodicReportFiling(year: day.year - 1, filedOn: day, practising: true, workplace: Prefecture.withCode(13)))
        case 4: return .dispose(Disposition(kind: .practiceSuspension, date: day, from: day, until: later, reason: "業務停止"))
        case 5: return .reinstate(Reinstatement(date: day, reason: "期間短縮"))
        case 6: return .reissue(Reissue(date: day, reason: .lost))
        case 7 where random.next() % 4 == 0: return .dispose(Disposition(kind: .revocation, date: day, reason: "取消"))
        case 7: return .renew(CardRenewal(date: day, trainingCompletedOn: day.adding(days: -20)))
        default: return .relicense(Relicensing(date: day))
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyStateReadIsTheHistoryFolded(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let fixture = try OfficeFixture()
        let ministry = try fixture.office()
        let tokyo = try fixture.office("tokyo", registry: ministry.registry)
        var ids: [RegistrationID] = []
        for n in 0..<12 {
            let code = Self.qualifications[n % 3]
            let office = code == "care-manager" ? tokyo : ministry
            ids.append(
                try office.register(
                    code, holder: OfficeFixture.holder(n), person: OfficeFixture.person(sex: code == "care-manager" ? nil : .female),
                    evidence: code == "care-manager" ? Self.careManagerEvidence : OfficeFixture.evidence(code, on: "2017-03-15"),
                    on: OfficeFixture.date("2018-04-01")))
            try office.commit()
        }
        var day = OfficeFixture.date("2020-05-01")
        var accepted: Set<String> = []
        for round in 0..<6 {
            for office in [ministry, tokyo] {
                office.signsAhead = round % 2 == 0
                let own = ids.filter { ($0.qualification == "care-manager") == (office === tokyo) }
                // Several events a registration in one batch, in groups committed one by one.
                for step in 0..<50 {
                    let id = own.randomElement(using: &random)!
                    day = day.adding(days: Int.random(in: 0...4, using: &random))
                    let event = Self.event(&random, day: day)
                    if (try? office.change(id, event)) != nil { accepted.insert(event.kind) }
                    if step % 13 == 12 {
                        office.closeGroup()
                        if Bool.random(using: &random) { try office.commit(.oldestGroup) }
                    }
                }
                try office.commit()
            }
            try Self.checkStates(ids, in: ministry.registry)
        }
        #expect(accepted.count == 8, "\(accepted.sorted())")
        let report = Registry.audit(fixture.path)
        #expect(report.isClean, "\(report.problems)")
    }

    static func checkStates(_ ids: [RegistrationID], in registry: Registry) throws {
        for id in ids {
            let history = try registry.history(of: id)
            // Every record the office wrote has a block: its payload's tag is 2.
            #expect(try registry.latestRecord(of: id)?.payload.first == 2, "\(id)")
            #expect(try registry.record(of: id) == registry.fold(history), "\(id)")
            for end in history.indices {
                #expect(try registry.state(of: id, at: history[end].offset) == registry.fold(Array(history[...end]))?.registration, "\(id)")
            }
        }
    }
}

/// A registry written before state blocks is read by folding; the office's first event on one of its
/// registrations writes a block folded from that history, and from then on the block is read.
@Suite struct RecordStateUpgradeTests {
    @Test func theFirstEventAfterAnUpgradeWritesTheFoldedState() throws {
        let fixture = try OfficeFixture()
        let registry = try fixture.open()
        let id = RegistrationID(qualification: "registered-nurse", number: "0000001")
        let registering = Registering(
            id: id, holderKey: OfficeFixture.holder(1), holder: OfficeFixture.person(), evidence: OfficeFixture.evidence("registered-nurse"),
            prefecture: nil, date: OfficeFixture.date("2020-04-01"))
        // As an earlier version wrote it: the entry alone, no block.
        let first = try registry.append(
            JournalEntry(
                time: Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds), authority: "mhlw",
                body: .registration(RegistrationChange(id: id, previous: nil, event: .register(registering), credential: nil, supersedes: nil))))
        try registry.commit()
        #expect(try registry.latestRecord(of: id)?.payload.first == 1)
        let office = try fixture.office(registry: registry)
        try office.change(id, .amend(Amendment(name: "佐藤 花子", formerSurname: "山田", date: OfficeFixture.date("2021-06-01"))))
        try office.commit()
        let latest = try #require(try registry.latestRecord(of: id))
        #expect(latest.payload.first == 2)
        let history = try registry.history(of: id)
        #expect(history.map(\.offset).first == first.offset)
        let record = try #require(try registry.record(of: id))
        #expect(record == (try registry.fold(history)))
        #expect(record.registration.holder.name == "佐藤 花子" && record.credentialOffset == history.last?.offset)
        #expect(Registry.audit(fixture.path).isClean)
    }
}
