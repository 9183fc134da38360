import Testing

@testable import ShikakuModel

@Suite struct DispositionTests {
    static func suspension(_ kind: DispositionKind, from: String, until: String, decided: String? = nil) -> RegistrationEvent {
        .dispose(
            Disposition(
                kind: kind, date: Ledger.date(decided ?? from), from: Ledger.date(from), until: Ledger.date(until),
                reason: "医道審議会の答申による"))
    }

    /// 医師法7条: 戒告, 3年以内の医業の停止, 取消.
    @Test func physicianSuspensionIsBoundedByThreeYears() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        let rule = try #require(try Catalog.qualification("physician").disposition(.practiceSuspension))
        #expect(rule.maxYears == 3)
        let error = #expect(throws: ModelError(.suspensionTooLong, "")) {
            try ledger.record(Self.suspension(.practiceSuspension, from: "2022-04-01", until: "2025-04-01"), for: id)
        }
        #expect(error?.article == rule.article)
        try ledger.record(Self.suspension(.practiceSuspension, from: "2022-04-01", until: "2025-03-31"), for: id)
        #expect(ledger[id].standing(on: Ledger.date("2022-03-31")) == .active)
        #expect(ledger[id].standing(on: Ledger.date("2022-04-01")).name == "suspended")
        #expect(ledger[id].standing(on: Ledger.date("2025-04-01")) == .active)
    }

    /// A suspension starts on or after the day it is decided: whoever checked before was rightly told the licence
    /// was in force.
    @Test func aSuspensionIsNotBackdated() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        #expect(throws: ModelError(.invalidPeriod, "")) {
            try ledger.record(Self.suspension(.practiceSuspension, from: "2022-04-01", until: "2022-09-30", decided: "2022-04-02"), for: id)
        }
        try ledger.record(Self.suspension(.practiceSuspension, from: "2022-04-02", until: "2022-09-30", decided: "2022-04-02"), for: id)
    }

    @Test func titleSuspensionOfADietitianIsAtMostOneYear() throws {
        var ledger = Ledger()
        let id = try ledger.register(
            "dietitian", evidence: .satisfying("dietitian"), prefecture: Prefecture.withCode(27))
        #expect(throws: ModelError(.suspensionTooLong, "")) {
            try ledger.record(Self.suspension(.titleSuspension, from: "2022-04-01", until: "2023-04-01"), for: id)
        }
        try ledger.record(Self.suspension(.titleSuspension, from: "2022-04-01", until: "2023-03-31"), for: id)
    }

    /// Where the law only says 期間を定めて, any period is allowed, but it needs an end.
    @Test func openEndedLawsStillNeedAPeriod() throws {
        var ledger = Ledger()
        let id = try ledger.register("physical-therapist", evidence: .satisfying("physical-therapist"))
        #expect(try Catalog.qualification("physical-therapist").disposition(.titleSuspension)?.maxYears == nil)
        #expect(throws: ModelError(.missingField, "")) {
            try ledger.record(.dispose(Disposition(kind: .titleSuspension, date: Ledger.date("2022-04-01"), reason: "x")), for: id)
        }
        #expect(throws: ModelError(.invalidPeriod, "")) {
            try ledger.record(Self.suspension(.titleSuspension, from: "2022-04-01", until: "2022-03-01"), for: id)
        }
        try ledger.record(Self.suspension(.titleSuspension, from: "2022-04-01", until: "2032-03-31"), for: id)
    }

    @Test func refusesDispositionsTheLawDoesNotProvide() throws {
        var ledger = Ledger()
        let therapist = try ledger.register("physical-therapist", evidence: .satisfying("physical-therapist"))
        #expect(throws: ModelError(.dispositionNotAllowed, "")) {
            try ledger.record(.dispose(Disposition(kind: .warning, date: Ledger.date("2022-04-01"), reason: "x")), for: therapist)
        }
        let physician = try ledger.register("physician", holder: Ledger.holderKey(2), evidence: .satisfying("physician"))
        #expect(throws: ModelError(.dispositionNotAllowed, "")) {
            try ledger.record(Self.suspension(.titleSuspension, from: "2022-04-01", until: "2022-05-01"), for: physician)
        }
        try ledger.record(.dispose(Disposition(kind: .warning, date: Ledger.date("2022-04-01"), reason: "x")), for: physician)
        #expect(ledger[physician].standing(on: Ledger.date("2022-04-01")) == .active)
    }

    @Test func suspensionsMayNotOverlap() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        try ledger.record(Self.suspension(.practiceSuspension, from: "2022-04-01", until: "2022-09-30"), for: id)
        #expect(throws: ModelError(.suspensionOverlap, "")) {
            try ledger.record(Self.suspension(.practiceSuspension, from: "2022-09-30", until: "2022-12-31"), for: id)
        }
        try ledger.record(Self.suspension(.practiceSuspension, from: "2022-10-01", until: "2022-12-31"), for: id)
    }

    @Test func reinstatementLiftsTheSuspensionFromItsDate() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        #expect(throws: ModelError(.notSuspended, "")) {
            try ledger.record(.reinstate(Reinstatement(date: Ledger.date("2022-05-01"), reason: "x")), for: id)
        }
        try ledger.record(Self.suspension(.practiceSuspension, from: "2022-04-01", until: "2023-03-31"), for: id)
        try ledger.record(.reinstate(Reinstatement(date: Ledger.date("2022-10-01"), reason: "処分の取消し")), for: id)
        #expect(ledger[id].standing(on: Ledger.date("2022-09-30")).name == "suspended")
        #expect(ledger[id].standing(on: Ledger.date("2022-10-01")) == .active)
        #expect(throws: ModelError(.notSuspended, "")) {
            try ledger.record(.reinstate(Reinstatement(date: Ledger.date("2022-11-01"), reason: "x")), for: id)
        }
    }

    @Test func revocationClosesTheRegistrationUntilRelicensing() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        #expect(throws: ModelError(.notRevoked, "")) {
            try ledger.record(.relicense(Relicensing(date: Ledger.date("2023-01-01"))), for: id)
        }
        try ledger.record(.dispose(Disposition(kind: .revocation, date: Ledger.date("2022-04-01"), reason: "x")), for: id)
        #expect(ledger[id].standing(on: Ledger.date("2022-04-01")) == .revoked(since: Ledger.date("2022-04-01")))
        for event in [
            RegistrationEvent.reissue(Reissue(date: Ledger.date("2022-05-01"), reason: .lost)),
            Self.suspension(.practiceSuspension, from: "2022-05-01", until: "2022-06-01"),
            .recordAddition(RecordedAddition(code: "clinical-training", date: Ledger.date("2022-05-01"))),
        ] {
            #expect(throws: ModelError(.registrationRevoked, "")) { try ledger.record(event, for: id) }
        }
        try ledger.record(.relicense(Relicensing(date: Ledger.date("2024-04-01"))), for: id)
        #expect(ledger[id].standing(on: Ledger.date("2024-04-01")) == .active)
        #expect(ledger[id].certificateSerial == 2)
    }

    /// A catalog entry may say its law has no 再免許 (`"relicense": null`); none of the 32 does today, so the
    /// refusal is checked on such an entry.
    @Test func refusesRelicensingWhereTheLawProvidesNone() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        try ledger.record(.dispose(Disposition(kind: .revocation, date: Ledger.date("2022-04-01"), reason: "x")), for: id)
        let relicensing = RegistrationEvent.relicense(Relicensing(date: Ledger.date("2024-04-01")))
        let withoutRelicense = try Qualification.variant(of: "physician") { $0["relicense"] = .null }
        #expect(withoutRelicense.relicense == nil)
        #expect(throws: ModelError(.relicenseNotAllowed, "")) {
            try LifeCycle.check(relicensing, against: ledger[id], qualification: withoutRelicense, holderRegistrations: [])
        }
        try LifeCycle.check(
            relicensing, against: ledger[id], qualification: Catalog.qualification("physician"), holderRegistrations: [])
    }

    /// 登録 types (W group) may register again only after 2 years (e.g. 公認心理師法3条4号).
    @Test func reRegistrationWaitsWhereTheLawSaysSo() throws {
        var ledger = Ledger()
        let id = try ledger.register("certified-care-worker", evidence: .satisfying("certified-care-worker"))
        let wait = try #require(try Catalog.qualification("certified-care-worker").relicense?.waitYears)
        try ledger.record(.dispose(Disposition(kind: .revocation, date: Ledger.date("2022-04-01"), reason: "x")), for: id)
        let early = Ledger.date("2022-04-01").adding(years: wait).adding(days: -1)
        #expect(throws: ModelError(.relicenseTooEarly, "")) {
            try ledger.record(.relicense(Relicensing(date: early)), for: id)
        }
        try ledger.record(.relicense(Relicensing(date: early.adding(days: 1))), for: id)
    }

    @Test func aRevokedHolderIsToldToRelicenseRatherThanRegister() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        try ledger.record(.dispose(Disposition(kind: .revocation, date: Ledger.date("2022-04-01"), reason: "x")), for: id)
        let error = #expect(throws: ModelError(.alreadyRegistered, "")) {
            try ledger.register("physician", evidence: .satisfying("physician"), on: "2024-01-01")
        }
        #expect(error?.message.contains("relicens") == true)
    }
}
