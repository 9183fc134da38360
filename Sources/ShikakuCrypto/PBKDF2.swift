internal import COpenSSL

/// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2), for keys derived from a passphrase.
public enum PBKDF2 {
    /// Derives `count` bytes from `passphrase` and `salt` with `iterations` rounds.
    /// - Throws: `crypto.openssl` if OpenSSL fails.
    public static func deriveKey(passphrase: SecretBytes, salt: [UInt8], iterations: Int, count: Int) throws(CryptoError)
        -> SecretBytes
    {
        precondition(iterations > 0 && count > 0, "PBKDF2 needs iterations and an output length")
        return try SecretBytes(count: count) { (key) throws(CryptoError) in
            let result = passphrase.withUnsafeBytes { phrase in
                PKCS5_PBKDF2_HMAC(
                    phrase.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(phrase.count), salt, Int32(salt.count),
                    Int32(iterations), EVP_sha256(), Int32(count), key.baseAddress?.assumingMemoryBound(to: UInt8.self))
            }
            guard result == 1 else { throw OpenSSL.failure("PBKDF2 failed") }
        }
    }
}

/// CRC-32 (ISO 3309, as zlib and gzip compute it), for detecting torn and damaged journal records.
public enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `initial`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing initial: UInt32 = 0) -> UInt32 {
        UInt32(czlibCRC32(UInt(initial), bytes))
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: [UInt8], continuing initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: initial) }
    }
}
