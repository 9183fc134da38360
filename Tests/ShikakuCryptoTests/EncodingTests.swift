import Foundation
import ShikakuCrypto
import ShikakuTestSupport
import Testing

@Suite struct EncodingTests {
    /// RFC 4648 §10.
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64MatchesRFC4648(_ text: String, _ encoded: String) throws {
        #expect(Base64.encode(Array(text.utf8)) == encoded)
        #expect(try Base64.decode(encoded) == Array(text.utf8))
        #expect(Base64URL.encode(Array(text.utf8)) == encoded.replacingOccurrences(of: "=", with: ""))
    }

    @Test(arguments: ["Zg", "Zg=", "Zm9v=", "Zh==", "Zm9v!", "Zm 9v", "Zg==Zg=="])
    func base64RejectsNonCanonicalText(_ text: String) {
        #expect(throws: CryptoError(.invalidEncoding, "")) { try Base64.decode(text) }
    }

    @Test(arguments: ["Zg==", "Zh", "a", "ab+c", "ab/c", "Zm9v."])
    func base64URLRejectsPaddingAndStrayCharacters(_ text: String) {
        #expect(throws: CryptoError(.invalidEncoding, "")) { try Base64URL.decode(text) }
    }

    @Test func codecsRoundTripRandomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 3, 31, 32, 33, 34, 64, 100] {
            for zeros in [0, 1, 3] {
                let bytes = [UInt8](repeating: 0, count: min(zeros, length)) + (0..<max(0, length - zeros)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(try Base58.decode(Base58.encode(bytes)) == bytes)
                #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
                #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            }
        }
    }

    /// draft-msporny-base58 §5 examples.
    @Test func base58MatchesTheDraftExamples() throws {
        #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
        #expect(Base58.encode(Array("The quick brown fox jumps over the lazy dog.".utf8)) == "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z")
        #expect(Base58.encode([0, 0, 0x28, 0x7f, 0xb4, 0xcd]) == "11233QC4")
        #expect(try Base58.decode("11233QC4") == [0, 0, 0x28, 0x7f, 0xb4, 0xcd])
        #expect(throws: CryptoError(.invalidEncoding, "")) { try Base58.decode("0OIl") }
        #expect(throws: CryptoError(.invalidEncoding, "")) { try Base58.decode(String(repeating: "z", count: 2000)) }
    }
}

/// Multikey and did:key for Ed25519 (W3C Controlled Identifiers, did:key v0.7).
@Suite struct MultikeyTests {
    @Test(.enabled(if: Vectors.enabled, Comment(rawValue: Vectors.missingReason)))
    func decodesTheDataIntegrityKeyPair() throws {
        let pair = try #require(try JSONSerialization.jsonObject(with: Vectors.data("vc-di-eddsa/keyPair.json")) as? [String: String])
        let publicKey = try Ed25519.PublicKey(multibase: try #require(pair["publicKeyMultibase"]))
        #expect(Hex.string(publicKey.rawRepresentation) == "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f")
        let privateKey = try Ed25519.PrivateKey(secretMultibase: try #require(pair["privateKeyMultibase"]))
        #expect(privateKey.publicKey == publicKey)
        #expect(try privateKey.seed().withUnsafeBytes { Hex.string($0) } == "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6")
        #expect(publicKey.multibase == pair["publicKeyMultibase"])
    }

    /// The did:key specification's Ed25519 examples.
    @Test(arguments: [
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
        "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
    ])
    func roundTripsDidKeys(_ did: String) throws {
        let key = try Ed25519.PublicKey(didKey: did)
        #expect(key.didKey == did)
        #expect(key.multibase.hasPrefix("z6Mk"))
        #expect(try Ed25519.PublicKey(didKey: key.didKeyVerificationMethod) == key)
    }

    @Test(arguments: [
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWpX", "did:key:6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "did:web:example.com", "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
    ])
    func rejectsOtherKeys(_ text: String) {
        #expect(throws: CryptoError(.invalidMultikey, "")) { try Ed25519.PublicKey(didKey: text) }
    }
}

@Suite struct GZipTests {
    @Test func compressesAStatusListToAFewBytesReproducibly() throws {
        var list = [UInt8](repeating: 0, count: 16_384)
        list[6250] = 0x80
        let compressed = try GZip.compress(list)
        #expect(compressed.count < 200)
        #expect(try GZip.compress(list) == compressed)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(try GZip.decompress(compressed, maxOutputBytes: 16_384) == list)
        #expect(throws: CryptoError(.decompressionLimit, "")) { try GZip.decompress(compressed, maxOutputBytes: 16_383) }
    }

    @Test func refusesDamagedInput() throws {
        let compressed = try GZip.compress(Array("hello, status list".utf8))
        #expect(throws: CryptoError(.malformedGzip, "")) { try GZip.decompress(Array(compressed.dropLast(4)), maxOutputBytes: 1000) }
        #expect(throws: CryptoError(.malformedGzip, "")) { try GZip.decompress([1, 2, 3, 4], maxOutputBytes: 1000) }
        #expect(throws: CryptoError(.malformedGzip, "")) { try GZip.decompress(compressed + [0], maxOutputBytes: 1000) }
        #expect(throws: CryptoError(.malformedGzip, "")) { try GZip.decompress([], maxOutputBytes: 1000) }
    }

    @Test func gzipReadsOurOutput() throws {
        let text = String(repeating: "資格 ", count: 1000)
        let result = try Processes.run("gzip", ["-dc"], input: Data(try GZip.compress(Array(text.utf8))))
        #expect(result.status == 0)
        #expect(result.output == text)
    }
}

@Suite struct SecretTests {
    @Test func secretsAreNeverPrinted() {
        let secret = SecretBytes(copying: Array("hunter2".utf8))
        #expect("\(secret)" == "<secret>")
        #expect(!String(reflecting: secret).contains("hunter2"))
        #expect(secret.constantTimeEquals(SecretBytes(copying: Array("hunter2".utf8))))
        #expect(!secret.constantTimeEquals(SecretBytes(copying: Array("hunter3".utf8))))
    }

    /// The wipe reaches the caller's own buffer, not a copy made on write: the array still has the storage it
    /// had, and that storage is all zeros.
    @Test func wipingTakesTheCallersBufferAndZeroesItInPlace() {
        var bytes = Array("hunter2 and more".utf8)
        let address = bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let secret = SecretBytes(wiping: &bytes)
        #expect(bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == address)
        #expect(bytes.count == 16 && bytes.allSatisfy { $0 == 0 })
        #expect(secret.withUnsafeBytes { Array($0) } == Array("hunter2 and more".utf8))
    }

    @Test func aSecretCanBeWrittenInPlace() throws {
        let secret = SecretBytes(count: 4) { $0.copyBytes(from: [1, 2, 3, 4]) }
        #expect(secret.count == 4)
        #expect(secret.withUnsafeBytes { Array($0) } == [1, 2, 3, 4])
        #expect(try SecureRandom.secret(count: 32).count == 32)
        #expect(throws: CryptoError(.openssl, "")) {
            try SecretBytes(count: 4) { (_) throws(CryptoError) in throw CryptoError(.openssl, "refused") }
        }
    }

    @Test func uniformStaysInRange() throws {
        for bound in [1, 2, 3, 131_072, UInt64.max] as [UInt64] {
            for _ in 0..<50 { #expect(try SecureRandom.uniform(below: bound) < bound) }
        }
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }
}
