import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import Testing

/// The signed trust list: what it writes is what it reads back, only under the registry's key, and only in
/// its own format.
@Suite struct TrustListTests {
    static let registryKey = try! Ed25519.PrivateKey()
    static let time = Timestamp(secondsSinceEpoch: 1_700_000_000)
    static let list = TrustList(
        registry: "0123456789abcdef0123456789abcdef",
        authorities: [
            .init(
                id: "mhlw", name: "厚生労働大臣", qualifications: ["physician", "registered-nurse"],
                keys: [
                    .init(
                        did: try! Ed25519.PrivateKey().publicKey.didKey, validFrom: time,
                        validUntil: Timestamp(secondsSinceEpoch: 1_700_086_400)),
                    .init(
                        did: try! Ed25519.PrivateKey().publicKey.didKey,
                        validFrom: Timestamp(secondsSinceEpoch: 1_700_086_400), validUntil: nil),
                ]),
            .init(
                id: "tokyo", name: "東京都知事", qualifications: ["care-manager"],
                keys: [.init(did: try! Ed25519.PrivateKey().publicKey.didKey, validFrom: time, validUntil: nil)]),
        ])

    static func read(_ document: JSONObject, key: Ed25519.PublicKey = registryKey.publicKey) throws(CredentialError)
        -> TrustList
    {
        try TrustList(signed: document, registryKey: key)
    }

    @Test func readsBackWhatItSigned() throws {
        let signed = try Self.list.signed(by: Self.registryKey, at: Self.time)
        #expect(try Self.read(signed) == Self.list)
        #expect(signed["issuer"]?.stringValue == Self.registryKey.publicKey.didKey)
        #expect(signed["credentialSubject"]?.objectValue?["format"]?.stringValue == TrustList.format)
    }

    @Test func refusesAnotherKeyATamperedListAndAnotherFormat() throws {
        let signed = try Self.list.signed(by: Self.registryKey, at: Self.time)
        #expect(throws: CredentialError(.trustList, "")) {
            try Self.read(signed, key: try Ed25519.PrivateKey().publicKey)
        }
        var tampered = signed
        var subject = try #require(signed["credentialSubject"]?.objectValue)
        subject["registry"] = "ffffffffffffffffffffffffffffffff"
        tampered["credentialSubject"] = .object(subject)
        #expect(throws: CredentialError(.trustList, "")) { try Self.read(tampered) }
        // Properly signed, but of the first format, whose entries sat at the top: refused with a way out.
        var old = Self.list.document
        old["credentialSubject"] = nil
        old["format"] = "shikaku-trust-list/1"
        old["issuer"] = .string(Self.registryKey.publicKey.didKey)
        let options = DataIntegrity.Options(
            created: Self.time.iso, verificationMethod: Self.registryKey.publicKey.didKeyVerificationMethod)
        let error = #expect(throws: CredentialError.self) {
            try Self.read(try DataIntegrity.sign(old, options: options, key: Self.registryKey))
        }
        #expect(error?.message.contains("export the folder again") == true, "\(error?.message ?? "")")
    }
}
