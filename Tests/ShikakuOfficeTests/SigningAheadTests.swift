import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// A batch that signs ahead (on a worker, 64 operations a piece, while the rest are checked) writes what a
/// batch signing at its commit writes: each credential in the entry of its own operation, chained in order,
/// also for a registration changed twice across pieces; and a batch discarded midway leaves nothing behind.
@Suite struct SigningAheadTests {
    static func register(_ office: Office, _ n: Int) throws -> RegistrationID {
        try office.register(
            "registered-nurse", holder: OfficeFixture.holder(n), person: OfficeFixture.person("看護 花子\(n)"),
            evidence: OfficeFixture.evidence("registered-nurse"), on: OfficeFixture.date("2020-04-01"))
    }

    @Test func eachEntryHoldsItsOwnCredentialInOrder() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        office.signsAhead = true
        // Half a batch, dropped: the worker may be signing it; none of it may reach the next batch.
        for n in 0..<100 { _ = try Self.register(office, 1_000 + n) }
        office.discard()

        var ids: [RegistrationID] = []
        for n in 0..<150 { ids.append(try Self.register(office, n)) }
        // Registrations amended in pieces after the one that registered them, one of them twice.
        let amended = [ids[3], ids[70], ids[3], ids[149]]
        for (n, id) in amended.enumerated() {
            try office.change(id, .amend(Amendment(name: "看護 花子改\(n)", formerSurname: "看護", date: OfficeFixture.date("2021-06-01"))))
        }
        let before = office.registry.nextSequence
        let outcomes = try office.commit()
        #expect(outcomes.count == 154)
        #expect(outcomes.map(\.id) == ids + amended)
        #expect(outcomes.map(\.sequence) == (0..<154).map { before + UInt64($0) })
        let issuerKey = try office.registry.issuer("mhlw", passphrase: fixture.passphrase).key.publicKey
        let names = (0..<150).map { "看護 花子\($0)" } + (0..<4).map { "看護 花子改\($0)" }
        var latest: [RegistrationID: SHA256.Digest] = [:]
        for (outcome, name) in zip(outcomes, names) {
            let credential = try #require(outcome.credential)
            #expect(String(decoding: credential.canonical, as: UTF8.self).contains("\"\(name)\""), "\(outcome.id)")
            guard case .verified = DataIntegrity.verify(credential.document, key: { _ in issuerKey }) else {
                return #expect(Bool(false), "the credential of \(outcome.id) does not verify")
            }
            // The journal entry the index names for this credential is this operation's.
            let found = try #require(try office.registry.credential(credential.hash))
            #expect(found.id == outcome.id)
            let entry = try office.registry.item(at: found.location.offset).entry
            #expect(entry.change?.id == outcome.id && entry.change?.credential?.hash == credential.hash)
            latest[outcome.id] = credential.hash
        }
        for id in ids {
            #expect(try office.registry.record(of: id)?.credential?.hash == latest[id], "\(id)")
        }
        // The second amendment of ids[3] chains to the first, which chains to the registration.
        let history = try office.registry.history(of: ids[3])
        #expect(history.map { $0.entry.change?.event.kind } == ["register", "amend", "amend"])
        #expect(try office.registry.registrations(of: OfficeFixture.holder(1_000)).isEmpty)
        #expect(ids.first?.description == "registered-nurse:0000001")
    }

    /// Groups committed one by one while the next is checked and signed write what one commit of them all
    /// writes: each group's entries chained to the group before (a registration amended in one group and
    /// reissued, then revoked, in the next), credentials superseded across groups revoked, a prerequisite
    /// registered in one group seen by the next, and a group dropped after the one before it was written
    /// leaving nothing.
    @Test func groupsCommittedWhileTheNextIsSignedChainAcrossGroups() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        office.signsAhead = true
        let day = OfficeFixture.date("2021-06-01")
        var expected: [(RegistrationID, String)] = []
        var ids: [RegistrationID] = []
        for n in 0..<100 {
            ids.append(try Self.register(office, n))
            expected.append((ids[n], "register"))
        }
        office.closeGroup()
        for n in [5, 70, 99] {
            try office.change(ids[n], .amend(Amendment(name: "看護 花子改\(n)", date: day)))
            expected.append((ids[n], "amend"))
        }
        let nurse = try office.register(
            "public-health-nurse", holder: OfficeFixture.holder(5), person: OfficeFixture.person("看護 花子5"),
            evidence: OfficeFixture.evidence("public-health-nurse"), on: OfficeFixture.date("2020-05-01"))
        expected.append((nurse, "register"))
        office.closeGroup()
        let before = office.registry.nextSequence
        var outcomes = try office.commit(.oldestGroup)
        #expect(outcomes.count == 100)
        #expect(office.registry.nextSequence == before + 100)
        // A third group on registrations of both: it sees the second's amendments though they are not written.
        try office.change(ids[5], .reissue(Reissue(date: day, reason: .lost)))
        try office.change(ids[70], .dispose(Disposition(kind: .revocation, date: day, reason: "罰金以上の刑")))
        try office.change(ids[1], .reissue(Reissue(date: day, reason: .damaged)))
        // Her nurse's registration is written and no longer in the batch: the registry says she holds it.
        let written = try office.register(
            "public-health-nurse", holder: OfficeFixture.holder(6), person: OfficeFixture.person("看護 花子6"),
            evidence: OfficeFixture.evidence("public-health-nurse"), on: OfficeFixture.date("2020-05-01"))
        expected += [(ids[5], "reissue"), (ids[70], "dispose"), (ids[1], "reissue"), (written, "register")]
        office.closeGroup()
        outcomes += try office.commit(.oldestGroup)
        outcomes += try office.commit(.oldestGroup)
        #expect(try office.commit(.oldestGroup).isEmpty)
        #expect(!office.hasPendingWork)
        #expect(outcomes.map(\.id) == expected.map(\.0))
        #expect(outcomes.map(\.kind) == expected.map(\.1))
        #expect(outcomes.map(\.sequence) == (0..<UInt64(expected.count)).map { before + $0 })

        let registry = office.registry
        let key = try registry.issuer("mhlw", passphrase: fixture.passphrase).key.publicKey
        for outcome in outcomes {
            guard let credential = outcome.credential else { continue }
            guard case .verified = DataIntegrity.verify(credential.document, key: { _ in key }) else {
                return #expect(Bool(false), "the credential of \(outcome.id) does not verify")
            }
        }
        // ids[5]: registered, amended, reissued; each credential replaced by the next and revoked.
        let history = try registry.history(of: ids[5])
        #expect(history.map { $0.entry.change?.event.kind } == ["register", "amend", "reissue"])
        let issued = history.compactMap { $0.entry.change?.credential }
        #expect(issued.count == 3)
        #expect(history.dropFirst().map { $0.entry.change?.supersedes?.hash } == issued.dropLast().map(\.hash))
        #expect(history.dropFirst().map { $0.entry.change?.previous } == history.dropLast().map(\.offset))
        for old in issued.dropLast() { #expect(try registry.isRevoked(old.slot, authority: "mhlw")) }
        #expect(try !registry.isRevoked(issued[2].slot, authority: "mhlw"))
        #expect(try registry.record(of: ids[5])?.registration.holder.name == "看護 花子改5")
        // ids[70]: amended in one group, revoked in the next: the amendment's credential ends.
        let revoked = try registry.history(of: ids[70])
        let amendment = try #require(revoked[1].entry.change?.credential)
        #expect(revoked[2].entry.change?.supersedes?.hash == amendment.hash)
        #expect(try registry.isRevoked(amendment.slot, authority: "mhlw"))
        #expect(try registry.record(of: nurse)?.registration.id == nurse)

        // A group written, the next dropped: only the first counts, and the office goes on.
        try office.change(ids[2], .amend(Amendment(name: "看護 花子二", date: day)))
        office.closeGroup()
        try office.change(ids[3], .amend(Amendment(name: "看護 花子三", date: day)))
        office.closeGroup()
        #expect(try office.commit(.oldestGroup).map(\.id) == [ids[2]])
        office.discard()
        #expect(try registry.history(of: ids[3]).count == 1)
        try office.change(ids[3], .amend(Amendment(name: "看護 花子参", date: day)))
        #expect(try office.commit().map(\.sequence) == [before + UInt64(expected.count) + 1])
        #expect(try registry.record(of: ids[3])?.registration.holder.name == "看護 花子参")
    }
}
