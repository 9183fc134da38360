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
}
