import Testing

@testable import ShikakuModel

/// 介護支援専門員証: valid 5 years (介護保険法69条の7), renewed after 更新研修 within its validity (69条の8),
/// never after expiry; after a lapse, 再研修 and a fresh card.
@Suite struct CardTests {
    static let saitama = Prefecture.withCode(11)

    static func careManager() throws -> (Ledger, RegistrationID) {
        var ledger = Ledger()
        try ledger.register("physician", evidence: .satisfying("physician"), on: "2014-04-01")  // the practice's basis
        let id = try ledger.register(
            "care-manager", evidence: .satisfying("care-manager"), prefecture: saitama, on: "2020-04-01")
        return (ledger, id)
    }

    static func renewal(on date: String, trained: String) -> CardRenewal {
        CardRenewal(date: Ledger.date(date), trainingCompletedOn: Ledger.date(trained))
    }

    @Test func theCardIsValidFiveYears() throws {
        let (ledger, id) = try Self.careManager()
        #expect(ledger[id].card == Ledger.date("2020-04-01")...Ledger.date("2025-03-31"))
        #expect(ledger[id].standing(on: Ledger.date("2025-03-31")) == .active)
        #expect(ledger[id].standing(on: Ledger.date("2025-04-01")) == .lapsed(since: Ledger.date("2025-04-01")))
    }

    @Test func renewalWithinValidityFollowsOnFromTheOldCard() throws {
        var (ledger, id) = try Self.careManager()
        try ledger.record(.renew(Self.renewal(on: "2024-06-01", trained: "2024-05-20")), for: id)
        #expect(ledger[id].card == Ledger.date("2025-04-01")...Ledger.date("2030-03-31"))
        #expect(ledger[id].certificateSerial == 2)
        #expect(ledger[id].standing(on: Ledger.date("2026-01-01")) == .active)
    }

    @Test func renewalOpensTwelveMonthsBeforeExpiry() throws {
        var (ledger, id) = try Self.careManager()
        #expect(throws: ModelError(.renewalTooEarly, "")) {
            try ledger.record(.renew(Self.renewal(on: "2024-03-30", trained: "2024-03-01")), for: id)
        }
        try ledger.record(.renew(Self.renewal(on: "2024-03-31", trained: "2024-03-01")), for: id)
    }

    @Test func noRenewalAfterExpiry() throws {
        var (ledger, id) = try Self.careManager()
        let error = #expect(throws: ModelError(.renewalAfterExpiry, "")) {
            try ledger.record(.renew(Self.renewal(on: "2025-04-01", trained: "2025-03-01")), for: id)
        }
        #expect(error?.article != nil)
    }

    @Test func renewalNeedsTrainingDuringTheCardsValidity() throws {
        var (ledger, id) = try Self.careManager()
        #expect(throws: ModelError(.renewalTrainingMissing, "")) {
            try ledger.record(.renew(Self.renewal(on: "2024-06-01", trained: "2019-12-01")), for: id)
        }
        #expect(throws: ModelError(.renewalTrainingMissing, "")) {
            try ledger.record(.renew(Self.renewal(on: "2024-06-01", trained: "2024-07-01")), for: id)
        }
    }

    @Test func afterALapseRetrainingGivesAFreshCard() throws {
        var (ledger, id) = try Self.careManager()
        #expect(throws: ModelError(.notLapsed, "")) {
            try ledger.record(.retrain(Self.renewal(on: "2025-03-01", trained: "2025-02-01")), for: id)
        }
        #expect(throws: ModelError(.renewalTrainingMissing, "")) {
            try ledger.record(.retrain(Self.renewal(on: "2026-01-10", trained: "2025-03-01")), for: id)
        }
        try ledger.record(.retrain(Self.renewal(on: "2026-01-10", trained: "2025-12-20")), for: id)
        #expect(ledger[id].card == Ledger.date("2026-01-10")...Ledger.date("2031-01-09"))
        #expect(ledger[id].standing(on: Ledger.date("2026-01-10")) == .active)
    }

    @Test func permanentRegistrationsAreNotRenewed() throws {
        var ledger = Ledger()
        let id = try ledger.register("physician", evidence: .satisfying("physician"))
        #expect(throws: ModelError(.notRenewable, "")) {
            try ledger.record(.renew(Self.renewal(on: "2024-06-01", trained: "2024-05-20")), for: id)
        }
        #expect(throws: ModelError(.notRenewable, "")) {
            try ledger.record(.retrain(Self.renewal(on: "2024-06-01", trained: "2024-05-20")), for: id)
        }
    }
}
