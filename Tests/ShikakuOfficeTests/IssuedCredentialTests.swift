import Foundation
import ShikakuCredentials
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import Testing

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

    @Test func uuidsAreVersionFourAndFresh() throws {
        let pattern = try Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        let drawn = try (0..<2_000).map { _ in try QualificationCredential.randomUUID() }
        for uuid in drawn { #expect(uuid.wholeMatch(of: pattern) != nil, "\(uuid)") }
        #expect(Set(drawn).count == drawn.count)
    }
}
