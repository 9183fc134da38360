internal import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, through OpenSSL.
public enum AESGCM {
    /// A sealed message: nonce, ciphertext and tag.
    public struct SealedBox: Sendable, Hashable {
        /// The 12-byte nonce.
        public let nonce: [UInt8]
        /// The ciphertext, as long as the plaintext.
        public let ciphertext: [UInt8]
        /// The 16-byte authentication tag.
        public let tag: [UInt8]

        /// nonce ‖ ciphertext ‖ tag, the form files store.
        public var combined: [UInt8] { nonce + ciphertext + tag }

        /// Splits nonce ‖ ciphertext ‖ tag.
        /// - Throws: `crypto.invalid-key-length` if it is shorter than a nonce and a tag.
        public init(combined: [UInt8]) throws(CryptoError) {
            guard combined.count >= 28 else {
                throw CryptoError(.invalidKeyLength, "a sealed box has at least 28 bytes (nonce and tag), not \(combined.count)")
            }
            nonce = Array(combined.prefix(12))
            ciphertext = Array(combined.dropFirst(12).dropLast(16))
            tag = Array(combined.suffix(16))
        }

        init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts and authenticates `plaintext` and `aad` under a 32-byte key.
    /// - Parameters:
    ///   - nonce: 12 bytes, never reused with the same key; random when `nil`.
    /// - Throws: `crypto.invalid-key-length` or `crypto.openssl`.
    public static func seal(
        _ plaintext: [UInt8], key: SecretBytes, nonce: [UInt8]? = nil, authenticating aad: [UInt8] = []
    ) throws(CryptoError) -> SealedBox {
        try plaintext.withUnsafeBytes { bytes in
            Result { () throws(CryptoError) in try seal(bytes: bytes, key: key, nonce: nonce, authenticating: aad) }
        }.get()
    }

    /// Encrypts and authenticates a secret, read in place from its wiped storage, and `aad` under a 32-byte key.
    /// - Parameters:
    ///   - nonce: 12 bytes, never reused with the same key; random when `nil`.
    /// - Throws: `crypto.invalid-key-length` or `crypto.openssl`.
    public static func seal(
        _ plaintext: SecretBytes, key: SecretBytes, nonce: [UInt8]? = nil, authenticating aad: [UInt8] = []
    ) throws(CryptoError) -> SealedBox {
        try plaintext.withUnsafeBytes { (bytes) throws(CryptoError) in
            try seal(bytes: bytes, key: key, nonce: nonce, authenticating: aad)
        }
    }

    private static func seal(
        bytes plaintext: UnsafeRawBufferPointer, key: SecretBytes, nonce: [UInt8]?, authenticating aad: [UInt8]
    ) throws(CryptoError) -> SealedBox {
        let nonce = if let nonce { nonce } else { try SecureRandom.bytes(count: 12) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        try withCipher(key: key, nonce: nonce, encrypting: true) { (context) throws(CryptoError) in
            var length: Int32 = 0
            guard aad.isEmpty || EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1,
                plaintext.isEmpty
                    || EVP_EncryptUpdate(
                        context, &ciphertext, &length, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        Int32(plaintext.count)) == 1,
                EVP_EncryptFinal_ex(context, &tag, &length) == 1,
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1
            else { throw OpenSSL.failure("AES-256-GCM encryption failed") }
        }
        return SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Checks and decrypts a sealed box.
    /// - Throws: `crypto.authentication-failed` for a wrong key or altered nonce, ciphertext, tag or `aad`.
    public static func open(_ box: SealedBox, key: SecretBytes, authenticating aad: [UInt8] = []) throws(CryptoError)
        -> [UInt8]
    {
        guard box.tag.count == 16 else {
            throw CryptoError(.authenticationFailed, "the sealed box's tag is not 16 bytes")
        }
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        var tag = box.tag
        var opened = false
        try withCipher(key: key, nonce: box.nonce, encrypting: false) { (context) throws(CryptoError) in
            var length: Int32 = 0
            guard aad.isEmpty || EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1,
                box.ciphertext.isEmpty
                    || EVP_DecryptUpdate(context, &plaintext, &length, box.ciphertext, Int32(box.ciphertext.count)) == 1,
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, &tag) == 1
            else { throw OpenSSL.failure("AES-256-GCM decryption failed") }
            var scratch = [UInt8](repeating: 0, count: 16)
            opened = EVP_DecryptFinal_ex(context, &scratch, &length) == 1
            OpenSSL.clearErrors()
        }
        guard opened else {
            OpenSSL.cleanse(&plaintext, count: plaintext.count)
            throw CryptoError(.authenticationFailed, "the data could not be authenticated: wrong key, or it was altered")
        }
        return plaintext
    }

    private static func withCipher(
        key: SecretBytes, nonce: [UInt8], encrypting: Bool, _ body: (OpaquePointer) throws(CryptoError) -> Void
    ) throws(CryptoError) {
        guard key.count == 32 else { throw CryptoError(.invalidKeyLength, "an AES-256 key has 32 bytes, not \(key.count)") }
        guard nonce.count == 12 else { throw CryptoError(.invalidKeyLength, "a GCM nonce has 12 bytes, not \(nonce.count)") }
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSL.failure("could not allocate a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let started = key.withUnsafeBytes { keyBytes in
            let keyPointer = keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return encrypting
                ? EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, keyPointer, nonce)
                : EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, keyPointer, nonce)
        }
        guard started == 1 else { throw OpenSSL.failure("could not start AES-256-GCM") }
        try body(context)
    }
}
