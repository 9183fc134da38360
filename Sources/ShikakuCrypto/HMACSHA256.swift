internal import COpenSSL

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) through OpenSSL's one-shot `HMAC()`.
public enum HMACSHA256 {
    /// The MAC of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> SHA256.Digest {
        message.withUnsafeBytes { text in key.withUnsafeBytes { code(for: text, key: $0) } }
    }

    /// The MAC of `message` under a secret key.
    public static func authenticationCode(for message: [UInt8], key: SecretBytes) -> SHA256.Digest {
        message.withUnsafeBytes { text in key.withUnsafeBytes { code(for: text, key: $0) } }
    }

    /// The MAC of a secret message (a My Number) under a secret key; the message is read in place, never copied.
    public static func authenticationCode(for message: SecretBytes, key: SecretBytes) -> SHA256.Digest {
        message.withUnsafeBytes { text in key.withUnsafeBytes { code(for: text, key: $0) } }
    }

    /// Whether `code` is the MAC of `message` under `key`, compared in constant time.
    public static func isValid(_ code: SHA256.Digest, for message: [UInt8], key: [UInt8]) -> Bool {
        let expected = authenticationCode(for: message, key: key)
        return expected.withUnsafeBytes { a in code.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, 32) == 0 } }
    }

    private static func code(for text: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer) -> SHA256.Digest {
        SHA256.Digest { out in
            var length: UInt32 = 0
            let result = HMAC(
                EVP_sha256(), key.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(key.count),
                text.baseAddress?.assumingMemoryBound(to: UInt8.self), text.count,
                out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
            precondition(result != nil && length == 32, "OpenSSL HMAC-SHA256 failed: \(OpenSSL.drainErrors())")
        }
    }
}
