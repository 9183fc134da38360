internal import COpenSSL

// PEM forms of Ed25519 keys: private keys as PKCS#8 EncryptedPrivateKeyInfo (RFC 5958, PBES2 with
// PBKDF2 and AES-256-CBC, as `openssl pkey -aes-256-cbc` writes them), public keys as
// SubjectPublicKeyInfo (RFC 8410). Shikaku never writes or accepts an unencrypted private key.

extension Ed25519.PrivateKey {
    /// The key as an encrypted PKCS#8 PEM document (`-----BEGIN ENCRYPTED PRIVATE KEY-----`), which
    /// `openssl pkey -passin file:…` opens.
    /// - Throws: `crypto.openssl` if OpenSSL cannot encrypt it.
    public func encryptedPEM(passphrase: SecretBytes) throws(CryptoError) -> String {
        try OpenSSL.withMemoryBIO { (bio) throws(CryptoError) in
            let written = passphrase.withUnsafeBytes { phrase in
                PEM_write_bio_PKCS8PrivateKey(
                    bio, backing.pointer, EVP_aes_256_cbc(), phrase.baseAddress?.assumingMemoryBound(to: CChar.self),
                    Int32(phrase.count), nil, nil)
            }
            guard written == 1 else { throw OpenSSL.failure("OpenSSL could not encrypt the private key") }
            return OpenSSL.contents(of: bio)
        }
    }

    /// Opens an encrypted PKCS#8 PEM private key.
    /// - Throws: `crypto.malformed-pem` (not PEM, truncated, damaged), `crypto.unencrypted-private-key`,
    ///   `crypto.wrong-passphrase`, or `crypto.not-ed25519` for a key of another type.
    public init(encryptedPEM text: String, passphrase: SecretBytes) throws(CryptoError) {
        let bytes = Array(text.utf8)
        let label = try PEMFile.label(of: bytes)
        switch label {
        case "ENCRYPTED PRIVATE KEY": break
        case "PRIVATE KEY":
            throw CryptoError(
                .unencryptedPrivateKey,
                "the private key is not encrypted; Shikaku keeps private keys only as encrypted PKCS#8. "
                    + "Encrypt it with: openssl pkcs8 -topk8 -v2 aes-256-cbc")
        default:
            throw CryptoError(.malformedPEM, "the PEM document holds \"\(label)\", not an encrypted PKCS#8 private key")
        }
        let pointer = try OpenSSL.withMemoryBIO(bytes) { (bio) throws(CryptoError) -> OpaquePointer in
            var source = PassphraseSource(passphrase: passphrase)
            let key = withUnsafeMutablePointer(to: &source) { PEM_read_bio_PrivateKey(bio, nil, passphraseCallback, $0) }
            guard let key else {
                throw OpenSSL.failure(
                    .wrongPassphrase, "the passphrase does not open this private key; check the passphrase (or its file) and try again")
            }
            return key
        }
        do {
            try self.init(taking: pointer)
        } catch {
            throw CryptoError(.notEd25519, "the private key is not an Ed25519 key (Shikaku signs with Ed25519 only)")
        }
    }
}

extension Ed25519.PublicKey {
    /// The key as a SubjectPublicKeyInfo PEM document (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout`
    /// prints it.
    public var pem: String {
        guard let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, rawRepresentation, 32),
            let text = try? OpenSSL.withMemoryBIO(nil, { (bio) throws(CryptoError) -> String in
                guard PEM_write_bio_PUBKEY(bio, key) == 1 else { throw OpenSSL.failure("cannot write the public key") }
                return OpenSSL.contents(of: bio)
            })
        else { preconditionFailure("OpenSSL cannot encode a 32-byte Ed25519 public key: \(OpenSSL.drainErrors())") }
        EVP_PKEY_free(key)
        return text
    }

    /// Reads a SubjectPublicKeyInfo PEM document.
    /// - Throws: `crypto.malformed-pem` or `crypto.not-ed25519`.
    public init(pem text: String) throws(CryptoError) {
        let bytes = Array(text.utf8)
        let label = try PEMFile.label(of: bytes)
        guard label == "PUBLIC KEY" else {
            throw CryptoError(.malformedPEM, "the PEM document holds \"\(label)\", not a PUBLIC KEY")
        }
        let pointer = try OpenSSL.withMemoryBIO(bytes) { (bio) throws(CryptoError) -> OpaquePointer in
            guard let key = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
                throw OpenSSL.failure(.malformedPEM, "the public key PEM is damaged")
            }
            return key
        }
        let backing = KeyBacking(pointer)
        guard EVP_PKEY_get_id(pointer) == EVP_PKEY_ED25519 else {
            throw CryptoError(.notEd25519, "the public key is not an Ed25519 key")
        }
        try self.init(rawRepresentation: try backing.rawPublicKey())
    }
}

/// Reading a PEM document's framing before handing it to OpenSSL, so that damage and a wrong
/// passphrase get different answers.
enum PEMFile {
    /// The label of the PEM document in `bytes` (`ENCRYPTED PRIVATE KEY`), after checking that its
    /// base64 and its DER framing are whole.
    static func label(of bytes: [UInt8]) throws(CryptoError) -> String {
        try OpenSSL.withMemoryBIO(bytes) { (bio) throws(CryptoError) -> String in
            var name: UnsafeMutablePointer<CChar>? = nil
            var header: UnsafeMutablePointer<CChar>? = nil
            var data: UnsafeMutablePointer<UInt8>? = nil
            var length = 0
            defer {
                copenssl_free(name)
                copenssl_free(header)
                OpenSSL.cleanse(data, count: length)
                copenssl_free(data)
            }
            guard PEM_read_bio(bio, &name, &header, &data, &length) == 1, let name else {
                throw OpenSSL.failure(
                    .malformedPEM, "not a whole PEM document (missing BEGIN/END lines, or damaged or truncated base64)")
            }
            let label = String(cString: name)
            var cursor = UnsafePointer(data)
            if label == "ENCRYPTED PRIVATE KEY" {
                guard let parsed = d2i_X509_SIG(nil, &cursor, length) else {
                    throw OpenSSL.failure(.malformedPEM, "the encrypted private key's structure is damaged or truncated")
                }
                X509_SIG_free(parsed)
            }
            return label
        }
    }
}

/// What the passphrase callback reads: a view of the passphrase's bytes.
private struct PassphraseSource {
    let passphrase: SecretBytes
}

/// OpenSSL's `pem_password_cb`: copies the passphrase into OpenSSL's buffer; -1 when there is none.
private func passphraseCallback(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32, _ context: UnsafeMutableRawPointer?
) -> Int32 {
    guard let buffer, let context else { return -1 }
    let source = context.assumingMemoryBound(to: PassphraseSource.self).pointee
    return source.passphrase.withUnsafeBytes { bytes in
        guard bytes.count <= Int(size) else { return -1 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress ?? UnsafeRawPointer(buffer), byteCount: bytes.count)
        return Int32(bytes.count)
    }
}
