import Foundation
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuTestSupport
import Testing

/// eddsa-jcs-2022 against the W3C vc-di-eddsa worked example: canonical forms, hashes, signature and
/// proofValue byte for byte, and the tamper cases the spec lists.
@Suite(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
struct DataIntegrityTests {
    static func object(_ path: String) throws -> JSONObject {
        try #require(try JSONValue.parse(Array(Vectors.data(path))).objectValue)
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try Vectors.data(path), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func key() throws -> Ed25519.PrivateKey {
        let pair = try object("vc-di-eddsa/keyPair.json")
        return try Ed25519.PrivateKey(secretMultibase: try #require(pair["privateKeyMultibase"]?.stringValue))
    }

    @Test func reproducesTheW3CExample() throws {
        let unsigned = try Self.object("vc-di-eddsa/unsigned.json")
        let config = try Self.object("vc-di-eddsa/eddsa-jcs-2022/proofConfigJCS.json")
        #expect(JSONValue.object(unsigned).canonicalBytes == Array(try Vectors.data("vc-di-eddsa/eddsa-jcs-2022/canonDocJCS.txt")))
        #expect(JSONValue.object(config).canonicalBytes == Array(try Vectors.data("vc-di-eddsa/eddsa-jcs-2022/proofCanonJCS.txt")))
        let hashData = DataIntegrity.hashData(proofOptions: config, document: unsigned)
        #expect(Hex.string(hashData.prefix(32)) == (try Self.text("vc-di-eddsa/eddsa-jcs-2022/proofHashJCS.txt")))
        #expect(Hex.string(hashData.suffix(32)) == (try Self.text("vc-di-eddsa/eddsa-jcs-2022/docHashJCS.txt")))
        #expect(Hex.string(hashData) == (try Self.text("vc-di-eddsa/eddsa-jcs-2022/combinedHashJCS.txt")))

        let options = DataIntegrity.Options(
            created: try #require(config["created"]?.stringValue),
            verificationMethod: try #require(config["verificationMethod"]?.stringValue))
        let signed = try DataIntegrity.sign(unsigned, options: options, key: Self.key())
        let proof = try #require(signed["proof"]?.objectValue)
        let signature = try Base58.decode(String(try #require(proof["proofValue"]?.stringValue).dropFirst()))
        #expect(Hex.string(signature) == (try Self.text("vc-di-eddsa/eddsa-jcs-2022/sigHexJCS.txt")))
        #expect(proof["proofValue"]?.stringValue == (try Self.text("vc-di-eddsa/eddsa-jcs-2022/sigBTC58JCS.txt")))
        #expect(signed == (try Self.object("vc-di-eddsa/eddsa-jcs-2022/signedJCS.json")))
    }

    /// One signer over many documents keeps the last proof options: each secured document's canonical form is
    /// the one written from it, each verifies, and options that change (time, purpose, the document's
    /// @context) are never signed stale; the W3C example still comes out byte for byte after the others.
    @Test func aSignerReusedAcrossOptionsAndContextsSignsEachAsItIs() throws {
        let unsigned = try Self.object("vc-di-eddsa/unsigned.json")
        let config = try Self.object("vc-di-eddsa/eddsa-jcs-2022/proofConfigJCS.json")
        let example = DataIntegrity.Options(
            created: try #require(config["created"]?.stringValue), verificationMethod: try #require(config["verificationMethod"]?.stringValue))
        var later = example
        later.created = "2024-01-01T00:00:00Z"
        var otherPurpose = example
        otherPurpose.proofPurpose = "authentication"
        let otherKey = try Ed25519.PrivateKey()
        var otherMethod = later
        otherMethod.verificationMethod = otherKey.publicKey.didKeyVerificationMethod
        var otherContext = unsigned
        otherContext["@context"] = ["https://www.w3.org/ns/credentials/v2"]
        var renamed = unsigned
        renamed["name"] = "Alumni Credential 2"
        let signer = try ProofSigner(try Self.key())
        // The method only names the key, so a proof naming another key verifies against the example's key
        // only if the signature covers the name it carries.
        let exampleKey = try Self.key().publicKey
        let key: (String) -> Ed25519.PublicKey? = { _ in exampleKey }
        let cases: [(JSONObject, DataIntegrity.Options, String)] = [
            (renamed, example, "assertionMethod"), (renamed, later, "assertionMethod"), (renamed, otherMethod, "assertionMethod"),
            (otherContext, later, "assertionMethod"),
            (unsigned, otherPurpose, "authentication"), (unsigned, example, "assertionMethod"),
        ]
        for (n, (document, options, purpose)) in cases.enumerated() {
            let secured = try DataIntegrity.secure(document, options: options, signer: signer)
            #expect(secured.canonical == JSONValue.object(secured.document).canonicalBytes, "case \(n)")
            let proof = try #require(secured.document["proof"]?.objectValue)
            #expect(proof["created"]?.stringValue == options.created && proof["proofPurpose"]?.stringValue == purpose, "case \(n)")
            #expect(proof["verificationMethod"]?.stringValue == options.verificationMethod, "case \(n)")
            #expect(proof["@context"] == document["@context"], "case \(n)")
            guard case .verified = DataIntegrity.verify(secured.document, expectedPurpose: purpose, key: key) else {
                return #expect(Bool(false), "case \(n) does not verify")
            }
        }
        // Canonically equivalent text is other text to JCS: each proof carries the purpose it was given.
        for purpose in ["e\u{301}", "\u{E9}"] {
            var options = example
            options.proofPurpose = purpose
            let proof = try #require(try DataIntegrity.secure(unsigned, options: options, signer: signer).document["proof"]?.objectValue)
            #expect(proof["proofPurpose"]?.stringValue.map { Array($0.utf8) } == Array(purpose.utf8))
        }
        let last = try DataIntegrity.secure(unsigned, options: example, signer: signer)
        #expect(last.document == (try Self.object("vc-di-eddsa/eddsa-jcs-2022/signedJCS.json")))
    }

    @Test func verifiesTheSignedExampleAndRefusesTampering() throws {
        let signed = try Self.object("vc-di-eddsa/eddsa-jcs-2022/signedJCS.json")
        let key: (String) -> Ed25519.PublicKey? = { try? Ed25519.PublicKey(didKey: $0) }
        guard case .verified = DataIntegrity.verify(signed, key: key) else { return #expect(Bool(false), "the example does not verify") }

        var proof = try #require(signed["proof"]?.objectValue)
        func outcome(_ change: (inout JSONObject, inout JSONObject) -> Void) -> FailureReason.Code? {
            var document = signed
            var changed = proof
            change(&document, &changed)
            document["proof"] = .object(changed)
            if case .failed(let reason) = DataIntegrity.verify(document, key: key) { return reason.code }
            return nil
        }
        #expect(outcome { document, _ in document["name"] = "Alumni Credentia1" } == .badSignature)
        #expect(outcome { document, _ in document["credentialSubject"] = ["id": "did:example:abcdefgh", "alumniOf": "Other"] } == .badSignature)
        #expect(outcome { _, proof in proof["created"] = "2023-02-24T23:36:39Z" } == .badSignature)
        #expect(outcome { _, proof in proof["created"] = nil } == .proofMalformed)
        #expect(outcome { _, proof in proof["@context"] = nil } == .badSignature)
        #expect(outcome { _, proof in
            proof["@context"] = ["https://www.w3.org/ns/credentials/examples/v2", "https://www.w3.org/ns/credentials/v2"]
        } == .contextMismatch)
        #expect(outcome { document, _ in
            document["@context"] = ["https://example.org/other", "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
        } == .contextMismatch)
        #expect(outcome { _, proof in proof["cryptosuite"] = "eddsa-rdfc-2022" } == .unknownCryptosuite)
        #expect(outcome { _, proof in proof["proofPurpose"] = "authentication" } == .proofMalformed)
        #expect(outcome { _, proof in proof["proofValue"] = "x" } == .proofMalformed)
        let other = try Ed25519.PrivateKey()
        #expect(outcome { _, proof in proof["verificationMethod"] = .string(other.publicKey.didKeyVerificationMethod) } == .badSignature)
        proof["proofValue"] = nil
    }
}

/// Bitstring Status List decoding against the W3C and Digital Bazaar lists, including the bit-order trap.
@Suite(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
struct StatusListVectorTests {
    static func root() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Vectors.data("bitstring-status-list/vectors.json")) as? [String: Any])
    }

    @Test func decodesEveryListWithTheSpecsBitOrder() throws {
        let lists = try #require(try Self.root()["lists"] as? [[String: Any]])
        #expect(lists.count == 4)
        for vector in lists {
            let id = vector["id"] as? String ?? "?"
            let encoded = try #require(vector["encodedList"] as? String)
            let expect = try #require(vector["expect"] as? [String: Any])
            let list = try BitstringStatusList.decode(encoded, minimumEntries: 0)
            #expect(list.bytes.count == expect["decodedBytes"] as? Int, "\(id)")
            #expect(list.count == expect["decodedBits"] as? Int, "\(id)")
            for (index, value) in expect["statusAt"] as? [String: Int] ?? [:] {
                #expect(try list.status(at: try #require(Int(index))) == (value == 1), "\(id) bit \(index)")
            }
            // The byte the bit-order trap turns on: 0x80 when index 50000 is set, 0x01 when 50007 is.
            if let byte = expect["byteAt6250Hex"] as? String {
                #expect(Hex.string([list.bytes[6250]]) == byte, "\(id)")
            }
            for index in expect["outOfRange"] as? [Int] ?? [] {
                let outside = #expect(throws: FailureReason.self, "\(id) index \(index)") { try list.status(at: index) }
                #expect(outside?.code == .range, "\(id) index \(index)")
            }
            let set = (expect["setIndices"] ?? expect["setIndicesUnderSpecOrder"]) as? [Int] ?? []
            #expect((0..<list.count).filter { list[$0] } == set, "\(id)")
            let meetsMinimum = (expect["meetsMinimum131072"] as? Bool) ?? (list.count >= BitstringStatusList.minimumEntries)
            if meetsMinimum {
                #expect(throws: Never.self, "\(id)") { try BitstringStatusList.decode(encoded) }
            } else {
                let short = #expect(throws: FailureReason.self, "\(id)") { try BitstringStatusList.decode(encoded) }
                #expect(short?.code == .statusListLength, "\(id)")
            }
        }
    }

    /// digitalbazaar/bitstring's byte-order cases: index 0 is the most significant bit of byte 0.
    @Test func rawByteOrder() throws {
        let raw = try #require(try Self.root()["rawByteOrderVectors"] as? [String: Any])
        let cases = try #require(raw["cases"] as? [[String: Any]])
        #expect(cases.count == 2)
        for vector in cases {
            let bytes = try #require(vector["bytesHex"] as? String)
            var list = BitstringStatusList()
            for index in (vector["setIndices"] as? [Int] ?? []) + [vector["afterSettingIndex"] as? Int].compactMap({ $0 }) {
                list[index] = true
            }
            #expect(Hex.string(Array(list.bytes.prefix(bytes.count / 2))) == bytes, "\(vector)")
            #expect(list.bytes.dropFirst(bytes.count / 2).allSatisfy { $0 == 0 })
        }
    }
}

@Suite struct StatusListTests {
    @Test func roundTripsSeveralBitsAndStaysSmall() throws {
        var list = BitstringStatusList()
        for index in [0, 201, 57_444, 94_023, 131_071] { list[index] = true }
        let encoded = try list.encoded()
        #expect(encoded.hasPrefix("uH4sI"))
        let decoded = try BitstringStatusList.decode(encoded)
        #expect((0..<decoded.count).filter { decoded[$0] } == [0, 201, 57_444, 94_023, 131_071])
        #expect(encoded.count < 400)
    }

    @Test func refusesBombsAndShortLists() throws {
        let bomb = "u" + Base64URL.encode(try GZip.compress([UInt8](repeating: 0, count: BitstringStatusList.maximumBytes + 8)))
        let tooLarge = #expect(throws: FailureReason.self) { try BitstringStatusList.decode(bomb) }
        #expect(tooLarge?.code == .statusListLength)
        let short = "u" + Base64URL.encode(try GZip.compress([UInt8](repeating: 0, count: 16_383)))
        let tooShort = #expect(throws: FailureReason.self) { try BitstringStatusList.decode(short) }
        #expect(tooShort?.code == .statusListLength)
        let notMultibase = #expect(throws: FailureReason.self) { try BitstringStatusList.decode("zabc") }
        #expect(notMultibase?.code == .malformed)
    }
}
