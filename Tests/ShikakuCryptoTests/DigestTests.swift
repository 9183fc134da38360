import ShikakuCrypto
import ShikakuTestSupport
import Testing

/// SHA-256 against FIPS 180-2 appendix B, and HMAC-SHA256 against RFC 4231 §4 (cases 1–4, 6, 7; case 5
/// truncates the output and does not apply).
@Suite struct DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func hashesTheFIPSExamples(_ text: String, _ hex: String) {
        #expect(SHA256.hash(text).hex == hex)
        #expect(SHA256.hash(Array(text.utf8)).hex == hex)
    }

    @Test func hashesOneMillionAs() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex == expected)
        var hasher = SHA256.Hasher()
        var remaining = 1_000_000
        var size = 1
        while remaining > 0 {
            let chunk = min(size, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: chunk))
            remaining -= chunk
            size = size * 3 + 1
        }
        #expect(hasher.finalize().hex == expected)
    }

    /// Digests order as their bytes do, which is what index runs are sorted and searched by (memcmp):
    /// random pairs, and pairs differing only in one byte of each word, where a word read in the wrong byte
    /// order would sort them wrongly.
    @Test func digestsOrderAsTheirBytes() throws {
        var random = SplitMix64(seed: 9_162)
        var pairs: [([UInt8], [UInt8])] = (0..<2_000).map { _ in
            ((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }, (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        for position in 0..<32 {
            var low = [UInt8](repeating: 0x80, count: 32)
            var high = low
            low[position] = 0x01
            high[position] = 0xFE
            if position % 8 != 7 { low[position + 1] = 0xFF }
            pairs.append((low, high))
        }
        for (a, b) in pairs {
            let (x, y) = (try #require(SHA256.Digest(bytes: a)), try #require(SHA256.Digest(bytes: b)))
            #expect((x < y) == a.lexicographicallyPrecedes(b))
            #expect((y < x) == b.lexicographicallyPrecedes(a))
        }
    }

    @Test func digestsRoundTripThroughHexAndBytes() throws {
        let digest = SHA256.hash("abc")
        #expect(SHA256.Digest(hex: digest.hex) == digest)
        #expect(SHA256.Digest(hex: digest.hex.uppercased()) == digest)
        #expect(SHA256.Digest(bytes: digest.bytes) == digest)
        #expect(SHA256.Digest(bytes: digest.bytes.dropLast()) == nil)
        #expect(SHA256.Digest(hex: "zz" + digest.hex.dropFirst(2)) == nil)
        var appended = Array("hash ".utf8)
        digest.appendHex(to: &appended)
        #expect(appended == Array(("hash " + digest.hex).utf8))
        var lent: [UInt8] = []
        digest.withHex(prefix: "sha256:") { lent = Array($0) }
        #expect(lent == Array(("sha256:" + digest.hex).utf8))
        digest.withHex { lent = Array($0) }
        #expect(String(decoding: lent, as: UTF8.self) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash("abc") < SHA256.hash("abd") || SHA256.hash("abd") < SHA256.hash("abc"))
    }

    @Test(arguments: [
        (Hex.bytes(String(repeating: "0b", count: 20)), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (Hex.bytes(String(repeating: "aa", count: 20)), Hex.bytes(String(repeating: "dd", count: 50)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), Hex.bytes(String(repeating: "cd", count: 50)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (Hex.bytes(String(repeating: "aa", count: 131)), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (Hex.bytes(String(repeating: "aa", count: 131)),
            Array(("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
                + "hashed before being used by the HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ] as [([UInt8], [UInt8], String)])
    func computesTheRFC4231MACs(_ key: [UInt8], _ message: [UInt8], _ hex: String) throws {
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(code.hex == hex)
        #expect(HMACSHA256.authenticationCode(for: message, key: SecretBytes(copying: key)) == code)
        #expect(HMACSHA256.isValid(code, for: message, key: key))
        #expect(!HMACSHA256.isValid(code, for: message + [0], key: key))
    }
}

/// AES-256-GCM against "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega, Test Case 16
/// (AES-256, 60-byte plaintext, 20 bytes of additional data), the case NIST's GCM test set reproduces.
@Suite struct AESGCMTests {
    static let key = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let plaintext = Hex.bytes(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
    static let aad = Hex.bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    static let nonce = Hex.bytes("cafebabefacedbaddecaf888")
    static let ciphertext =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
    static let tag = "76fc6ece0f4e1768cddf8853bb2d551b"

    @Test func reproducesTestCase16() throws {
        let box = try AESGCM.seal(Self.plaintext, key: SecretBytes(copying: Hex.bytes(Self.key)), nonce: Self.nonce, authenticating: Self.aad)
        #expect(Hex.string(box.ciphertext) == Self.ciphertext)
        #expect(Hex.string(box.tag) == Self.tag)
        #expect(try AESGCM.open(AESGCM.SealedBox(combined: box.combined), key: SecretBytes(copying: Hex.bytes(Self.key)), authenticating: Self.aad) == Self.plaintext)
    }

    @Test func refusesAnythingAltered() throws {
        let key = SecretBytes(copying: Hex.bytes(Self.key))
        let box = try AESGCM.seal(Array("secret".utf8), key: key, authenticating: [1, 2])
        var combined = box.combined
        for index in [0, 12, combined.count - 1] {
            combined[index] ^= 1
            #expect(throws: CryptoError(.authenticationFailed, "")) {
                try AESGCM.open(AESGCM.SealedBox(combined: combined), key: key, authenticating: [1, 2])
            }
            combined[index] ^= 1
        }
        #expect(throws: CryptoError(.authenticationFailed, "")) { try AESGCM.open(box, key: key, authenticating: [1, 3]) }
        #expect(throws: CryptoError(.authenticationFailed, "")) {
            try AESGCM.open(box, key: SecretBytes(copying: [UInt8](repeating: 7, count: 32)), authenticating: [1, 2])
        }
        #expect(throws: CryptoError(.invalidKeyLength, "")) { try AESGCM.seal([1], key: SecretBytes(copying: [1, 2, 3])) }
        #expect(try AESGCM.open(box, key: key, authenticating: [1, 2]) == Array("secret".utf8))
    }
}
