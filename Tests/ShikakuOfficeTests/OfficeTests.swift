import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import ShikakuTestSupport
import Testing

@Suite struct OfficeTests {
    @Test func registersCommitsAndReadsBack() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        try office.register(
            "physician", holder: OfficeFixture.holder(1), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
            on: OfficeFixture.date("2020-04-01"))
        let done = try office.commit()
        #expect(done.count == 1)
        let outcome = try #require(done.first)
        #expect(outcome.id.description == "physician:0000001")
        let credential = try #require(outcome.credential)

        let reader = try fixture.open(writable: false)
        let record = try #require(try reader.record(of: outcome.id))
        #expect(record.registration.holder.name == "山田 花子")
        #expect(record.credential?.hash == credential.hash)
        #expect(try reader.registrations(of: OfficeFixture.holder(1)) == [outcome.id])
        #expect(try reader.credential(credential.hash)?.id == outcome.id)
        #expect(reader.size == 3)
        let checkpoint = try Checkpoint(text: try #require(reader.checkpoint).text)
        #expect(checkpoint.size == 3)

        let second = try office.register(
            "physician", holder: OfficeFixture.holder(2), person: OfficeFixture.person("佐藤 一郎", sex: .male),
            evidence: OfficeFixture.evidence("physician"), on: OfficeFixture.date("2020-04-02"))
        #expect(second.description == "physician:0000002")
        try office.commit()
    }

    @Test func amendmentsSupersedeTheCredentialAndRevocationRevokesIt() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        let id = try office.register(
            "registered-nurse", holder: OfficeFixture.holder(1), person: OfficeFixture.person(),
            evidence: OfficeFixture.evidence("registered-nurse"), on: OfficeFixture.date("2020-04-01"))
        try office.change(id, .amend(Amendment(name: "佐藤 花子", formerSurname: "山田", date: OfficeFixture.date("2021-06-01"))))
        let outcomes = try office.commit()
        let first = try #require(outcomes.first?.credential)
        let second = try #require(outcomes.last?.credential)
        let registry = office.registry
        let record = try #require(try registry.record(of: id))
        #expect(record.credential?.hash == second.hash)
        #expect(record.credential?.serial == 2)
        let old = try #require(try registry.credential(first.hash))
        #expect(old.location.serial == 1)
        // The first credential, issued and replaced in the same batch, is revoked.
        let firstSlot = try #require(try registry.item(at: old.location.offset).entry.change?.credential?.slot)
        #expect(try registry.isRevoked(firstSlot, authority: "mhlw"))

        // The credential is rebuilt byte for byte from what the journal keeps.
        let issuedAt = try #require(record.credentialOffset)
        let rebuilt = IssuedCredential.reassemble(
            QualificationCredential.Content(
                registration: try #require(try registry.state(of: id, at: issuedAt)), qualification: try Catalog.qualification("registered-nurse"),
                effectiveDate: try #require(record.credential?.effective), slot: try #require(record.credential?.slot)),
            issuer: .init(authorityID: "mhlw", name: "厚生労働大臣", did: try #require(record.credential?.did)),
            site: registry.config.site, seal: try #require(record.credential?.seal))
        #expect(rebuilt.hash == second.hash)

        try office.change(id, .dispose(Disposition(kind: .revocation, date: OfficeFixture.date("2022-01-01"), reason: "罰金以上の刑")))
        try office.commit()
        let slot = try #require(record.credential?.slot)
        #expect(try office.registry.isRevoked(slot, authority: "mhlw"))
    }

    @Test func authoritiesActOnlyOnTheirRegisters() throws {
        let fixture = try OfficeFixture()
        let ministry = try fixture.office("mhlw")
        let refused = #expect(throws: OfficeError.self) {
            try ministry.register(
                "care-manager", holder: OfficeFixture.holder(1), person: OfficeFixture.person(sex: nil),
                evidence: OfficeFixture.evidence("care-manager"), on: OfficeFixture.date("2020-04-01"))
        }
        #expect(refused?.code == .authorityNotEntitled)
        ministry.discard()
        try ministry.register(  // the licence the care manager's practice was on
            "physician", holder: OfficeFixture.holder(1), person: OfficeFixture.person(),
            evidence: OfficeFixture.evidence("physician"), on: OfficeFixture.date("2019-04-01"))
        try ministry.commit()
        let tokyo = try fixture.office("tokyo", registry: ministry.registry)
        let manager = try tokyo.register(
            "care-manager", holder: OfficeFixture.holder(1), person: OfficeFixture.person(sex: nil),
            evidence: OfficeFixture.evidence("care-manager"), on: OfficeFixture.date("2020-04-01"))
        #expect(manager.description == "care-manager:13000001")
        try tokyo.commit()
    }
}
