import Foundation
import Testing

@testable import ShikakuModel

@Suite struct AmendmentTests {
    @Test func changesTheNameAndKeepsTheFormerSurname() throws {
        var ledger = Ledger()
        let id = try ledger.register("registered-nurse", evidence: .satisfying("registered-nurse"))
        try ledger.record(
            .amend(Amendment(name: "佐藤 花子", nameKana: "サトウ ハナコ", formerSurname: "山田", date: Ledger.date("2023-06-01"))),
            for: id)
        let holder = ledger[id].holder
        #expect(holder.name == "佐藤 花子")
        #expect(holder.displayName == "佐藤 花子（旧姓：山田）")
        #expect(ledger[id].certificateSerial == 2)
        try ledger.record(.amend(Amendment(formerSurname: .some(nil), date: Ledger.date("2024-01-01"))), for: id)
        #expect(ledger[id].holder.formerSurname == nil)
    }

    @Test func refusesEmptyOrMalformedAmendments() throws {
        var ledger = Ledger()
        let id = try ledger.register("registered-nurse", evidence: .satisfying("registered-nurse"))
        #expect(throws: ModelError(.missingField, "")) {
            try ledger.record(.amend(Amendment(date: Ledger.date("2023-06-01"))), for: id)
        }
        #expect(throws: ModelError(.invalidKana, "")) {
            try ledger.record(.amend(Amendment(nameKana: "sato hanako", date: Ledger.date("2023-06-01"))), for: id)
        }
        #expect(throws: ModelError(.beforeRegistration, "")) {
            try ledger.record(.amend(Amendment(name: "佐藤 花子", date: Ledger.date("2019-06-01"))), for: id)
        }
    }

    @Test func refusesSexWhereTheRegisterDoesNotRecordIt() throws {
        let register = try #require(Catalog.all.first { !$0.recordsSex && $0.registeredBy == .national })
        var ledger = Ledger()
        let id = try ledger.register(register.code, person: Ledger.person(sex: nil), evidence: .satisfying(register.code))
        #expect(throws: ModelError(.unexpectedField, "")) {
            try ledger.record(.amend(Amendment(sex: .male, date: Ledger.date("2023-06-01"))), for: id)
        }
    }
}

@Suite struct AdditionTests {
    /// 臨床研修: at least 2 years for 医師, so it is recorded 2 years after registration at the earliest.
    @Test func recordsClinicalTrainingAfterItsMinimumLength() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"), on: "2020-04-01")
        let rule = try #require(try Catalog.qualification("physician").addition("clinical-training"))
        let years = try #require(rule.minYears)
        let early = Ledger.date("2020-04-01").adding(years: years).adding(days: -1)
        #expect(throws: ModelError(.additionTooEarly, "")) {
            try ledger.record(.recordAddition(RecordedAddition(code: "clinical-training", date: early)), for: id)
        }
        try ledger.record(.recordAddition(RecordedAddition(code: "clinical-training", date: early.adding(days: 1))), for: id)
        #expect(ledger[id].additions.map(\.code) == ["clinical-training"])
        #expect(throws: ModelError(.additionAlreadyRecorded, "")) {
            try ledger.record(.recordAddition(RecordedAddition(code: "clinical-training", date: Ledger.date("2023-01-01"))), for: id)
        }
    }

    @Test func refusesAnAdditionTheRegisterDoesNotRecord() throws {
        var ledger = Ledger()
        let id = try ledger.register("registered-nurse", evidence: .satisfying("registered-nurse"))
        #expect(throws: ModelError(.additionNotRecorded, "")) {
            try ledger.record(.recordAddition(RecordedAddition(code: "clinical-training", date: Ledger.date("2023-01-01"))), for: id)
        }
    }
}

@Suite struct ReportTests {
    static func filing(_ year: Int, on date: String, practising: Bool = true) -> RegistrationEvent {
        .report(PeriodicReportFiling(year: year, filedOn: Ledger.date(date), practising: practising, workplace: practising ? Prefecture.withCode(13) : nil))
    }

    @Test func filesThePhysiciansReportEveryOtherYear() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        try ledger.record(Self.filing(2020, on: "2021-01-10"), for: id)
        try ledger.record(Self.filing(2022, on: "2023-02-01"), for: id)
        let duty = try #require(try Catalog.qualification("physician").periodicReport)
        #expect(ledger[id].reports.map { $0.isLate(for: duty) } == [false, true])
        #expect(throws: ModelError(.notAReportingYear, "")) { try ledger.record(Self.filing(2021, on: "2022-01-10"), for: id) }
        #expect(throws: ModelError(.reportTooEarly, "")) { try ledger.record(Self.filing(2024, on: "2024-12-31"), for: id) }
        #expect(throws: ModelError(.reportAlreadyFiled, "")) { try ledger.record(Self.filing(2022, on: "2023-03-01"), for: id) }
    }

    /// The day whose status is reported comes from the catalog (`periodicReport.asOf`), not from the code: on an
    /// entry whose reports are as of 30 September, a report filed on 1 October is in time and a holder registered
    /// on 1 October has none for that year.
    @Test func theReportingDayIsTheCatalogs() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        let late = try ledger.register("physician", holder: Ledger.holderKey(2), evidence: .satisfying("physician"), on: "2022-10-01")
        let september = try Qualification.variant(of: "physician") { entry in
            guard case .object(var report)? = entry["periodicReport"] else { return }
            report["asOf"] = "09-30"
            entry["periodicReport"] = .object(report)
        }
        let duty = try #require(september.periodicReport)
        #expect(duty.statusDay(in: 2022) == Ledger.date("2022-09-30"))
        let filing = Self.filing(2022, on: "2022-10-01")
        try LifeCycle.check(filing, against: ledger[id], qualification: september, holderRegistrations: [])
        #expect(throws: ModelError(.reportTooEarly, "")) {
            try LifeCycle.check(filing, against: ledger[id], qualification: Catalog.qualification("physician"), holderRegistrations: [])
        }
        #expect(throws: ModelError(.reportTooEarly, "")) {
            try LifeCycle.check(Self.filing(2022, on: "2022-09-30"), against: ledger[id], qualification: september, holderRegistrations: [])
        }
        #expect(throws: ModelError(.noReportDuty, "")) {
            try LifeCycle.check(Self.filing(2022, on: "2022-10-02"), against: ledger[late], qualification: september, holderRegistrations: [])
        }
    }

    @Test func aCatalogReportingDayMustBeADay() throws {
        for bad in ["12-32", "1231", "12-3", "13-01", ""] {
            #expect(throws: ModelError(.invalidCatalog, "")) {
                try Qualification.variant(of: "physician") { entry in
                    guard case .object(var report)? = entry["periodicReport"] else { return }
                    report["asOf"] = .string(bad)
                    entry["periodicReport"] = .object(report)
                }
            }
        }
    }

    /// An amendment must change something, scalar for scalar, and a revoked licence is not amended (it would
    /// issue a credential): it is licensed again first.
    @Test func anAmendmentChangesSomethingOnALicenceInForce() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        let day = Ledger.date("2021-06-01")
        #expect(throws: ModelError(.noChange, "")) { try ledger.record(.amend(Amendment(name: "山田 花子", date: day)), for: id) }
        #expect(throws: ModelError(.noChange, "")) { try ledger.record(.amend(Amendment(formerSurname: .some(nil), date: day)), for: id) }
        // The same name in another normal form (が as か and a combining mark) is a change.
        try ledger.record(.amend(Amendment(name: "山田 かがみ", date: day)), for: id)
        try ledger.record(.amend(Amendment(name: "山田 かがみ".decomposedStringWithCanonicalMapping, date: day)), for: id)
        #expect(throws: ModelError(.noChange, "")) {
            try ledger.record(.amend(Amendment(name: "山田 かがみ".decomposedStringWithCanonicalMapping, date: day)), for: id)
        }
        try ledger.record(.dispose(Disposition(kind: .revocation, date: Ledger.date("2022-01-01"), reason: "罰金以上の刑")), for: id)
        #expect(throws: ModelError(.registrationRevoked, "")) {
            try ledger.record(.amend(Amendment(name: "佐藤 花子", date: Ledger.date("2022-02-01"))), for: id)
        }
        // Nor does an event dated before the revocation, recorded after it, issue a certificate.
        #expect(throws: ModelError(.registrationRevoked, "")) {
            try ledger.record(.amend(Amendment(name: "佐藤 花子", date: Ledger.date("2021-12-01"))), for: id)
        }
        #expect(throws: ModelError(.registrationRevoked, "")) {
            try ledger.record(.recordAddition(RecordedAddition(code: "clinical-training", date: Ledger.date("2021-12-01"))), for: id)
        }
        #expect(throws: ModelError(.registrationRevoked, "")) {
            try ledger.record(.reissue(Reissue(date: Ledger.date("2021-12-01"), reason: .lost)), for: id)
        }
    }

    /// Evidence is dated after the holder's birth, and a holder's registers agree on the birth date.
    @Test func evidenceBeforeBirthIsRefused() throws {
        var ledger = Ledger()
        try ledger.register("physician", person: Ledger.person(born: "1990-05-01"), evidence: .satisfying("physician"))
        #expect(throws: ModelError(.invalidBirthDate, "")) {
            try ledger.register("pharmacist", person: Ledger.person(born: "1991-05-01"), evidence: .satisfying("pharmacist"))
        }
        try ledger.register("pharmacist", person: Ledger.person(born: "1990-05-01"), evidence: .satisfying("pharmacist"))
        #expect(throws: ModelError(.invalidBirthDate, "")) {
            try ledger.register(
                "dentist", holder: Ledger.holderKey(2), person: Ledger.person(sex: .female, born: "1990-05-01"),
                evidence: .satisfying("dentist", on: "1985-02-10"))
        }
    }

    @Test func aHolderNotPractisingNamesNoWorkplace() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        let filing = PeriodicReportFiling(year: 2020, filedOn: Ledger.date("2021-01-10"), practising: false, workplace: Prefecture.withCode(13))
        #expect(throws: ModelError(.unexpectedField, "")) { try ledger.record(.report(filing), for: id) }
    }

    @Test func refusesReportsWhereThereIsNoDuty() throws {
        var ledger = Ledger()
        let therapist = try ledger.register("physical-therapist", evidence: .satisfying("physical-therapist"))
        #expect(throws: ModelError(.noReportDuty, "")) { try ledger.record(Self.filing(2020, on: "2021-01-10"), for: therapist) }
        let nurse = try ledger.register("registered-nurse", evidence: .satisfying("registered-nurse"))
        let duty = try #require(try Catalog.qualification("registered-nurse").periodicReport)
        #expect(duty.whilePractisingOnly)
        #expect(throws: ModelError(.noReportDuty, "")) {
            try ledger.record(Self.filing(2020, on: "2021-01-10", practising: false), for: nurse)
        }
        let later = try ledger.register("physician", evidence: .satisfying("physician", on: "2021-03-01"), on: "2021-04-01")
        #expect(throws: ModelError(.noReportDuty, "")) { try ledger.record(Self.filing(2020, on: "2021-04-10"), for: later) }
    }
}

@Suite struct NoRegistrationTests {
    /// Every event but a registration needs the registration it is about: checking refuses it, and folding
    /// (a journal replay) refuses it too.
    @Test func eventsOnARegistrationThatDoesNotExistAreRefused() throws {
        let qualification = try Catalog.qualification("physician")
        let day = Ledger.date("2022-01-01")
        for event in [
            RegistrationEvent.amend(Amendment(name: "佐藤 花子", date: day)),
            .recordAddition(RecordedAddition(code: "clinical-training", date: day)),
            .renew(CardRenewal(date: day, trainingCompletedOn: day)),
            .retrain(CardRenewal(date: day, trainingCompletedOn: day)),
            .reinstate(Reinstatement(date: day, reason: "x")),
            .report(PeriodicReportFiling(year: 2020, filedOn: day, practising: true, workplace: Prefecture.withCode(13))),
            .dispose(Disposition(kind: .warning, date: day, reason: "x")),
            .relicense(Relicensing(date: day)),
            .reissue(Reissue(date: day, reason: .lost)),
            .erase(Erasure(date: day, reason: .application)),
        ] {
            #expect(throws: ModelError(.noRegistration, "")) {
                try LifeCycle.check(event, against: nil, qualification: qualification, holderRegistrations: [])
            }
            #expect(throws: ModelError(.noRegistration, "")) {
                try LifeCycle.apply(event, to: nil, qualification: qualification)
            }
        }
    }
}

@Suite struct ReissueAndErasureTests {
    @Test func reissueMakesANewCertificate() throws {
        var ledger = Ledger()
        let id = try ledger.register("certified-care-worker", evidence: .satisfying("certified-care-worker"))
        try ledger.record(.reissue(Reissue(date: Ledger.date("2022-01-01"), reason: .lost)), for: id)
        #expect(ledger[id].certificateSerial == 2)
        #expect(ledger[id].reissues.map(\.reason) == [.lost])
    }

    @Test func nothingFollowsAnErasure() throws {
        var ledger = Ledger()
        let id = try ledger.register("certified-care-worker", evidence: .satisfying("certified-care-worker"))
        try ledger.record(.erase(Erasure(date: Ledger.date("2024-01-01"), reason: .death)), for: id)
        #expect(ledger[id].standing(on: Ledger.date("2023-12-31")) == .active)
        #expect(ledger[id].standing(on: Ledger.date("2024-01-01")).name == "erased")
        let later = Ledger.date("2024-02-01")
        for event in [
            RegistrationEvent.erase(Erasure(date: later, reason: .application)),
            .reissue(Reissue(date: later, reason: .lost)),
            .amend(Amendment(name: "佐藤 花子", date: later)),
            .dispose(Disposition(kind: .revocation, date: later, reason: "x")),
        ] {
            #expect(throws: ModelError(.registrationErased, "")) { try ledger.record(event, for: id) }
        }
    }
}
