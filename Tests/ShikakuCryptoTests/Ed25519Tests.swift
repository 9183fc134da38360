import Foundation
import ShikakuCrypto
import ShikakuTestSupport
import Testing

/// RFC 8032 §7.1 TEST 1, 2, 3, 1024 and SHA(abc), and the Wycheproof Ed25519 verify cases.
@Suite(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
struct Ed25519VectorTests {
    struct RFCVector: Decodable {
        let name: String
        let secretKeyHex: String
        let publicKeyHex: String
        let messageHex: String
        let signatureHex: String
    }

    static func rfcVectors() throws -> [RFCVector] {
        let data = try Vectors.data("ed25519-rfc8032/rfc8032-section7.1-ed25519.json")
        let object = try JSONSerialization.jsonObject(with: data)
        let list = (object as? [String: Any])?["vectors"] ?? object
        return try JSONDecoder().decode([RFCVector].self, from: JSONSerialization.data(withJSONObject: list))
    }

    @Test func reproducesTheRFC8032Signatures() throws {
        let vectors = try Self.rfcVectors()
        #expect(vectors.count == 5)
        for vector in vectors {
            let key = try Ed25519.PrivateKey(seed: SecretBytes(copying: Hex.bytes(vector.secretKeyHex)))
            #expect(Hex.string(key.publicKey.rawRepresentation) == vector.publicKeyHex, "\(vector.name)")
            let message = Hex.bytes(vector.messageHex)
            let signature = try key.signature(for: message)
            #expect(Hex.string(signature) == vector.signatureHex, "\(vector.name)")
            #expect(key.publicKey.isValidSignature(signature, for: message))
            var tampered = message
            tampered.append(0)
            #expect(!key.publicKey.isValidSignature(signature, for: tampered))
        }
    }

    /// One signer, set up once, signs the RFC's messages one after another as a fresh key signs each
    /// (Ed25519 is deterministic): the context is left ready between messages.
    @Test func aSignerSetUpOnceSignsEveryMessageAlike() throws {
        for vector in try Self.rfcVectors() {
            let key = try Ed25519.PrivateKey(seed: SecretBytes(copying: Hex.bytes(vector.secretKeyHex)))
            let signer = try key.signer()
            let messages = [Hex.bytes(vector.messageHex), [], Array("second".utf8), Hex.bytes(vector.messageHex)]
            let signatures = try messages.map { try signer.signature(for: $0) }
            #expect(Hex.string(signatures[0]) == vector.signatureHex, "\(vector.name)")
            #expect(signatures[3] == signatures[0])
            for (message, signature) in zip(messages, signatures) { #expect(try key.signature(for: message) == signature) }
        }
    }

    @Test func agreesWithEveryWycheproofCase() throws {
        let data = try Vectors.data("ed25519-rfc8032/wycheproof-ed25519_test.json")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var count = 0
        for group in groups {
            let publicKey = try #require((group["publicKey"] as? [String: Any])?["pk"] as? String)
            let key = try Ed25519.PublicKey(rawRepresentation: Hex.bytes(publicKey))
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let message = Hex.bytes(try #require(test["msg"] as? String))
                let signature = Hex.bytes(try #require(test["sig"] as? String))
                let valid = try #require(test["result"] as? String) == "valid"
                #expect(key.isValidSignature(signature, for: message) == valid, "tcId \(test["tcId"] ?? "?")")
                count += 1
            }
        }
        #expect(count == 151)
    }
}

@Suite struct Ed25519KeyTests {
    @Test func generatesDistinctWorkingKeys() throws {
        let a = try Ed25519.PrivateKey()
        let b = try Ed25519.PrivateKey()
        #expect(a.publicKey != b.publicKey)
        let signature = try a.signature(for: Array("hello".utf8))
        #expect(a.publicKey.isValidSignature(signature, for: Array("hello".utf8)))
        #expect(!b.publicKey.isValidSignature(signature, for: Array("hello".utf8)))
        #expect(!a.publicKey.isValidSignature(Array(signature.prefix(63)), for: Array("hello".utf8)))
        #expect(try Ed25519.PrivateKey(seed: a.seed()).publicKey == a.publicKey)
    }

    /// Verifiers and did:key decodings are kept per thread: a verifier that refused a signature must still
    /// accept the next good one, and the answers must not change when more keys pass than the cache holds.
    @Test func cachedVerifiersAnswerAsFreshOnesWould() throws {
        let keys = try (0..<70).map { _ in try Ed25519.PrivateKey() }
        let message = Array("checked again and again".utf8)
        let signatures = try keys.map { try $0.signature(for: message) }
        for round in 0..<3 {
            for (index, key) in keys.enumerated() {
                let publicKey = try Ed25519.PublicKey(didKey: key.publicKey.didKeyVerificationMethod)
                #expect(publicKey == key.publicKey)
                var forged = signatures[index]
                forged[round] ^= 1
                #expect(!publicKey.isValidSignature(forged, for: message))
                #expect(publicKey.isValidSignature(signatures[index], for: message), "key \(index), round \(round)")
                #expect(!publicKey.isValidSignature(signatures[(index + 1) % keys.count], for: message))
            }
        }
        let text = keys[0].publicKey.didKey
        #expect(throws: CryptoError(.invalidMultikey, "")) { try Ed25519.PublicKey(didKey: text + "x") }
        #expect(try Ed25519.PublicKey(didKey: text) == keys[0].publicKey)
    }

    @Test func refusesWrongLengths() {
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try Ed25519.PrivateKey(seed: SecretBytes(copying: [1, 2, 3])) }
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) }
    }
}
