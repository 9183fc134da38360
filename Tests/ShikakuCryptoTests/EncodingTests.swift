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

    /// The limb-wise encoder agrees with the plain digit-by-digit division of the draft (written here as the
    /// reference) on every length up to 100, with and without leading zeros, including all-0xFF inputs.
    @Test func base58AgreesWithDigitByDigitDivision() throws {
        func reference(_ bytes: [UInt8]) -> String {
            let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
            let zeros = bytes.prefix { $0 == 0 }.count
            var digits: [Int] = []
            for byte in bytes[zeros...] {
                var carry = Int(byte)
                for index in digits.indices {
                    carry += digits[index] << 8
                    digits[index] = carry % 58
                    carry /= 58
                }
                while carry > 0 {
                    digits.append(carry % 58)
                    carry /= 58
                }
            }
            return String(decoding: [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[$0] }, as: UTF8.self)
        }
        var generator = SplitMix64(seed: 58)
        for length in 0...100 {
            for zeros in [0, 1, 2] where zeros <= length {
                let random = [UInt8](repeating: 0, count: zeros) + (zeros..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                for bytes in [random, [UInt8](repeating: 0, count: zeros) + [UInt8](repeating: 0xFF, count: length - zeros)] {
                    let text = Base58.encode(bytes)
                    #expect(text == reference(bytes), "\(bytes)")
                    #expect(try Base58.decode(text) == bytes, "\(text)")
                }
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

    /// The did:key Method's Ed25519 test vectors (W3C CCG, https://w3c-ccg.github.io/did-method-key/): the
    /// spec repository's `test-vectors/ed25519-x25519.json`
    /// (https://github.com/w3c-ccg/did-method-key/blob/main/test-vectors/ed25519-x25519.json, read at commit
    /// 801b0a91ce5af882c389ca399fa1fd1a75229c09), entries for seeds 0, 1 and 2: the `seed` and the
    /// `verificationKeyPair.publicKeyBase58` are copied from the file. The hex is the base58 decoded here by
    /// Python, and agrees with `openssl pkey -pubout` run on each seed. The test checks our did:key decoding
    /// against the hex, the file's publicKeyBase58 decoded by the independent decoder below, and the key
    /// OpenSSL derives from the seed.
    @Test(arguments: [
        (
            "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
            "0000000000000000000000000000000000000000000000000000000000000000", "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
            "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"
        ),
        (
            "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
            "0000000000000000000000000000000000000000000000000000000000000001", "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt",
            "4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29"
        ),
        (
            "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
            "0000000000000000000000000000000000000000000000000000000000000002", "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH",
            "7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674"
        ),
    ])
    func decodesTheDidKeyVectors(_ did: String, _ seed: String, _ publicKeyBase58: String, _ publicKeyHex: String) throws {
        let key = try Ed25519.PublicKey(didKey: did)
        #expect(Hex.string(key.rawRepresentation) == publicKeyHex)
        #expect(Self.base58Decode(publicKeyBase58) == Hex.bytes(publicKeyHex))
        #expect(try Ed25519.PrivateKey(seed: SecretBytes(copying: Hex.bytes(seed))).publicKey == key)
        // The multibase is z + base58btc(0xed 0x01 ‖ key), decoded independently too.
        #expect(Self.base58Decode(String(did.dropFirst("did:key:z".count))) == [0xED, 0x01] + Hex.bytes(publicKeyHex))
        #expect(key.didKey == did)
        #expect(try Ed25519.PublicKey(didKey: key.didKeyVerificationMethod) == key)
    }

    /// base58btc decoded the schoolbook way, independently of `Base58`: a big-endian number in bytes,
    /// multiplied by 58 and added to for each character, then a zero byte for each leading `1`.
    static func base58Decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
        var number: [UInt8] = []  // big-endian, no leading zeros
        for character in text {
            guard let digit = alphabet.firstIndex(of: character) else { return nil }
            var carry = digit
            for index in number.indices.reversed() {
                carry += Int(number[index]) * 58
                number[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                number.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: text.prefix { $0 == "1" }.count) + number
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

    /// A pool stays in range and takes each block once: 64 draws over blocks of 3 are 64 different values
    /// (two equal in 2⁶³ would be a block used twice), and every value of a small range comes up.
    @Test func aPoolDrawsFreshBlocksAndStaysInRange() throws {
        let pool = SecureRandom.Pool(size: 3)
        let wide = try (0..<64).map { _ in try pool.uniform(below: 1 << 63) }
        #expect(Set(wide).count == 64)
        let small = try (0..<500).map { _ in try pool.uniform(below: 5) }
        #expect(Set(small) == [0, 1, 2, 3, 4])
    }
}
