import ShikakuTestSupport
import Testing

@testable import ShikakuModel

/// Random histories: propose random events, keep those the rules accept, then check that folding the
/// accepted events alone (a journal replay) rebuilds exactly the same state, and that every refusal left
/// the state untouched.
@Suite struct ReplayTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func foldingAcceptedEventsRebuildsTheState(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var ledger = Ledger()
        let tokyo = Prefecture.withCode(13)
        var ids: [RegistrationID] = []
        for holder in 0..<6 {
            for qualification in Catalog.all.shuffled(using: &random).prefix(3) where qualification.code != "registered-dietitian" {
                let id = try? ledger.register(
                    qualification.code, holder: Ledger.holderKey(holder), evidence: .satisfying(qualification.code),
                    prefecture: qualification.registeredBy == .prefectural ? tokyo : nil, on: "2018-04-01")
                if let id { ids.append(id) }
            }
        }
        var refused = 0
        for _ in 0..<400 {
            guard let id = ids.randomElement(using: &random) else { break }
            let before = ledger[id]
            let event = randomEvent(for: before, using: &random)
            do {
                try ledger.record(event, for: id)
            } catch {
                refused += 1
                #expect(ledger[id] == before)
            }
        }
        #expect(refused > 0)
        #expect(ledger.accepted.count > ids.count + 20)
        #expect(try ledger.replayed() == ledger.registrations)
    }

    private func randomEvent(for registration: Registration, using random: inout SplitMix64) -> RegistrationEvent {
        let day = Ledger.date("2018-04-01").adding(days: Int.random(in: -30...4000, using: &random))
        let later = day.adding(days: Int.random(in: -10...1500, using: &random))
        let kinds = DispositionKind.allCases
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return .amend(Amendment(name: "佐藤 花子", date: day))
        case 1: return .recordAddition(RecordedAddition(code: ["clinical-training", "suction", "x"].randomElement(using: &random)!, date: day))
        case 2: return .renew(CardRenewal(date: day, trainingCompletedOn: day.adding(days: -20)))
        case 3: return .retrain(CardRenewal(date: day, trainingCompletedOn: day.adding(days: -5)))
        case 4: return .report(PeriodicReportFiling(year: day.year - 1, filedOn: day, practising: true, workplace: Prefecture.withCode(1)))
        case 5:
            let kind = kinds.randomElement(using: &random)!
            return .dispose(
                Disposition(kind: kind, date: day, from: kind.isTimeBound ? day : nil, until: kind.isTimeBound ? later : nil, reason: "r"))
        case 6: return .reinstate(Reinstatement(date: day, reason: "r"))
        case 7: return .relicense(Relicensing(date: day))
        case 8: return .reissue(Reissue(date: day, reason: .lost))
        default: return Bool.random(using: &random) ? .erase(Erasure(date: day, reason: .application)) : .reissue(Reissue(date: day, reason: .damaged))
        }
    }
}
