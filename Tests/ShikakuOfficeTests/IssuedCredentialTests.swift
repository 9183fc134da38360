import Foundation
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import Testing

@testable import ShikakuCredentials

/// A credential just signed keeps its bytes and seal and builds its document only when asked: all three must
/// be what reading the document back gives, and its UUID a fresh version-4 one.
@Suite struct IssuedCredentialTests {
    @Test func aSignedCredentialIsWhatItsDocumentSays() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        for n in 0..<3 {
            try office.register(
                "physician", holder: OfficeFixture.holder(n), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
                on: OfficeFixture.date("2020-04-01"))
        }
        let issued = try office.commit().compactMap(\.credential)
        #expect(issued.count == 3)
        for credential in issued {
            let read = IssuedCredential(document: credential.document)
            #expect(read.canonical == credential.canonical)
            #expect(read.hash == credential.hash)
            #expect(read.seal == credential.seal)
            #expect(credential.seal?.proofValue == credential.document["proof"]?.objectValue?["proofValue"]?.stringValue)
            let key = try office.registry.issuer("mhlw", passphrase: fixture.passphrase).key.publicKey
            guard case .verified = DataIntegrity.verify(credential.document, key: { _ in key }) else {
                Issue.record("the credential's document does not verify")
                continue
            }
        }
        #expect(Set(issued.compactMap { $0.seal?.id }).count == 3)
    }

    /// Credentials are written straight in canonical form: each optional member (a former surname, a
    /// prefecture, additions, an end of validity) must land where RFC 8785 orders it, and the credential
    /// rebuilt from what the journal keeps must be the same bytes.
    @Test func everyMemberIsWrittenInCanonicalOrder() throws {
        let fixture = try OfficeFixture()
        let ministry = try fixture.office()
        let nurse = try ministry.register(
            "registered-nurse", holder: OfficeFixture.holder(1), person: OfficeFixture.person(),
            evidence: OfficeFixture.evidence("registered-nurse"), on: OfficeFixture.date("2020-04-01"))
        try ministry.change(nurse, .amend(Amendment(name: "佐藤 花子", formerSurname: "山田", date: OfficeFixture.date("2021-06-01"))))
        let physician = try ministry.register(
            "physician", holder: OfficeFixture.holder(2), person: OfficeFixture.person("鈴木 一郎", sex: .male),
            evidence: OfficeFixture.evidence("physician"), on: OfficeFixture.date("2020-04-01"))
        try ministry.change(physician, .recordAddition(RecordedAddition(code: "clinical-training", date: OfficeFixture.date("2022-04-01"))))
        try ministry.commit()
        let tokyo = try fixture.office("tokyo", registry: ministry.registry)
        let manager = try tokyo.register(
            "care-manager", holder: OfficeFixture.holder(2), person: OfficeFixture.person("鈴木 一郎", sex: nil),
            evidence: OfficeFixture.evidence("care-manager"), on: OfficeFixture.date("2020-04-01"))
        try tokyo.commit()

        let expected: [(RegistrationID, [String])] = [
            (nurse, ["credentialSubject.formerSurname"]), (physician, ["credentialSubject.qualification.additions"]),
            (manager, ["credentialSubject.qualification.prefecture", "validUntil"]),
        ]
        for (id, members) in expected {
            let registry = tokyo.registry
            let record = try #require(try registry.record(of: id))
            let credential = try #require(try registry.credential(for: record))
            #expect(try JSONValue.parse(credential.canonical).canonicalBytes == credential.canonical, "\(id) is not in canonical form")
            #expect(credential.hash == record.credential?.hash, "\(id) is not rebuilt byte for byte")
            for path in members {
                let value = path.split(separator: ".").reduce(JSONValue.object(credential.document) as JSONValue?) { value, name in
                    value?.objectValue?[String(name)]
                }
                #expect(value != nil, "\(id) lacks \(path)")
            }
            let document = credential.document
            #expect(document.members.map(\.key).prefix(4) == ["@context", "id", "type", "issuer"])
        }
    }

    @Test func uuidsAreVersionFourAndFresh() throws {
        let pattern = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        // From two signers, each drawing its random bytes ahead for many.
        let signers = [try ProofSigner(Ed25519.PrivateKey()), try ProofSigner(Ed25519.PrivateKey())]
        let drawn = try (0..<2_000).map { n in try signers[n % 2].randomUUID() }
        for uuid in drawn { #expect(uuid.wholeMatch(of: pattern) != nil, "\(uuid)") }
        #expect(Set(drawn).count == drawn.count)
    }
}
