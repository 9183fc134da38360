import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import Testing

@testable import ShikakuStore

/// Status slots as the office hands them out: a credential that replaces another, or one that is revoked,
/// never gives its slot to a later credential, even after the registry is reopened; and a list three
/// quarters full makes the next credential open a new list, which is published and verifies.
@Suite struct StatusSlotTests {
    /// The slot a credential names in its status entries (both purposes share it).
    static func slot(_ credential: IssuedCredential?) throws -> StatusSlot {
        let status = credential?.document["credentialStatus"]?.arrayValue
        let entries = try #require(status).compactMap(\.objectValue)
        let slots = try entries.map { entry in
            let url = try #require(entry["statusListCredential"]?.stringValue)
            let list = try #require(url.split(separator: "/").last?.split(separator: ".").first.flatMap { Int($0) })
            return StatusSlot(list: list, index: try #require(entry["statusListIndex"]?.stringValue.flatMap { Int($0) }))
        }
        #expect(Set(slots).count == 1, "\(slots)")
        return try #require(slots.first)
    }

    static func register(_ office: Office, _ numbers: Range<Int>) throws -> [RegistrationID] {
        try numbers.map { n in
            try office.register(
                "physician", holder: OfficeFixture.holder(n), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
                on: OfficeFixture.date("2020-04-01"))
        }
    }

    @Test func noSlotIsUsedTwiceThroughSupersedingRevokingAndReopening() throws {
        let fixture = try OfficeFixture()
        var slots: [StatusSlot] = []
        var ended: [StatusSlot] = []
        do {
            let office = try fixture.office()
            let ids = try Self.register(office, 0..<24)
            slots += try office.commit().map { try Self.slot($0.credential) }
            let day = OfficeFixture.date("2021-06-01")
            for (n, id) in ids.enumerated() {
                switch n % 3 {
                case 0: try office.change(id, .amend(Amendment(name: "佐藤 花子", date: day)))
                case 1: try office.change(id, .reissue(Reissue(date: day, reason: .lost)))
                default: try office.change(id, .dispose(Disposition(kind: .revocation, date: day, reason: "罰金以上の刑")))
                }
            }
            ended = slots
            let outcomes = try office.commit()
            let issued = try outcomes.filter { $0.credential != nil }.map { try Self.slot($0.credential) }
            #expect(issued.count == 16, "amendments and reissues issue new credentials; revocations do not")
            slots += issued
            for slot in ended { #expect(try office.registry.isRevoked(slot, authority: "mhlw"), "\(slot)") }
            for slot in issued { #expect(try !office.registry.isRevoked(slot, authority: "mhlw"), "\(slot)") }
        }
        // Reopened, the registry knows every slot it handed out from its journal and index.
        let office = try fixture.office()
        let reopened = try #require(try office.registry.index.statusLedger().lists["mhlw"]?.first)
        #expect(reopened.used == slots.count)
        #expect(slots.allSatisfy { reopened.allocated[$0.index] })
        #expect(ended.allSatisfy { reopened.revoked[$0.index] })
        _ = try Self.register(office, 24..<48)
        slots += try office.commit().map { try Self.slot($0.credential) }
        #expect(slots.count == 64)
        #expect(Set(slots).count == slots.count, "no slot is used twice")
        #expect(slots.allSatisfy { $0.list == 1 })
    }

    @Test func aListThreeQuartersFullOpensTheNextAndItVerifies() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        _ = try Self.register(office, 0..<1)
        let firstSlot = try Self.slot(try office.commit().first?.credential)
        // Fill list 1 to three quarters (as 98,303 more credentials would) without issuing them.
        var ledger = try office.registry.index.statusLedger()
        var index = 0
        while ledger.lists["mhlw"]?.first.map({ $0.used < StatusLedger.fill }) == true {
            ledger.markAllocated(StatusSlot(list: 1, index: index), for: "mhlw")
            index += 1
        }
        office.registry.index.restore(ledger: ledger)
        let second = try Self.register(office, 1..<2)
        let credential = try #require(try office.commit().first?.credential)
        let secondSlot = try Self.slot(credential)
        #expect(firstSlot.list == 1)
        #expect(secondSlot.list == 2)

        // Published: list 2 of each purpose is exported beside list 1, and the credential verifies against it.
        let registry = office.registry
        let now = Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds)
        let folder = fixture.folder.appendingPathComponent("public").path
        func verify() throws -> (published: FailureReason?, registry: FailureReason?) {
            _ = try Publication.export(
                registry, to: folder, logKey: try registry.logKey(passphrase: fixture.passphrase),
                issuers: [try registry.issuer("mhlw", passphrase: fixture.passphrase)], now: now)
            let site = registry.config.site
            let published = PublishedStatusLists { url in
                guard let path = site.path(of: url), let data = FileManager.default.contents(atPath: folder + "/" + path)
                else { return nil }
                return try? JSONValue.parse(Array(data)).objectValue
            }
            let trust = registry.config.trustList
            let atHand = RegistryStatus(registry: registry, today: now.dateInJapan)
            return (
                CredentialVerifier(trust: trust, status: published).verify(credential.canonical, at: now, now: now).failure,
                CredentialVerifier(trust: trust, status: atHand).verify(credential.canonical, at: now, now: now).failure
            )
        }
        let clear = try verify()
        for purpose in StatusPurpose.allCases {
            for list in 1...2 {
                let path = folder + "/" + PublicationSite.statusListPath(authority: "mhlw", purpose: purpose, list: list)
                #expect(FileManager.default.fileExists(atPath: path), "\(path)")
            }
        }
        #expect(clear.published == nil, "\(clear.published?.description ?? "")")
        #expect(clear.registry == nil, "\(clear.registry?.description ?? "")")
        try office.change(try #require(second.first), .dispose(Disposition(kind: .revocation, date: now.dateInJapan, reason: "罰金以上の刑")))
        try office.commit()
        let revoked = try verify()
        #expect(revoked.published?.code == .revoked)
        #expect(revoked.registry?.code == .revoked)
        #expect(try !registry.isRevoked(firstSlot, authority: "mhlw"))
    }
}
