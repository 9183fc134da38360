import ShikakuCrypto

/// Private keys and secrets on disk: encrypted, mode 0600, and refused when others can read them.
///
/// Ed25519 keys are PKCS#8 `ENCRYPTED PRIVATE KEY` PEM (readable by `openssl pkey`).
/// The registry's 32-byte holder-key secret, which is not a key pair, is sealed with
/// AES-256-GCM under a key derived from the passphrase by PBKDF2-HMAC-SHA256:
///
///     shikaku-secret/1
///     pbkdf2-sha256 <iterations> <salt, base64>
///     <nonce ‖ ciphertext ‖ tag, base64>
public enum KeyFile {
    /// PBKDF2 rounds for sealed secrets. OWASP asks for 600,000 with HMAC-SHA256; the cost is paid once
    /// per command that needs the secret.
    public static let iterations = 600_000

    /// Reads an encrypted Ed25519 private key.
    /// - Throws: `store.missing`, `store.key-file-permissions` (a file group or others can read),
    ///   or the crypto errors of a wrong passphrase or a damaged key.
    public static func readKey(_ path: String, passphrase: SecretBytes, in files: FileSystem) throws -> Ed25519.PrivateKey {
        let text = try readPrivate(path, in: files)
        return try Ed25519.PrivateKey(encryptedPEM: String(decoding: text, as: UTF8.self), passphrase: passphrase)
    }

    /// Writes an Ed25519 private key encrypted under `passphrase`, mode 0600, durably.
    public static func writeKey(_ key: Ed25519.PrivateKey, to path: String, passphrase: SecretBytes, in files: FileSystem) throws {
        try files.replaceDurably(path, with: Array(key.encryptedPEM(passphrase: passphrase).utf8), permissions: 0o600)
    }

    /// Reads a sealed secret.
    /// - Throws: as ``readKey(_:passphrase:in:)``; `crypto.wrong-passphrase` when the passphrase does not open it.
    public static func readSecret(_ path: String, passphrase: SecretBytes, in files: FileSystem) throws -> SecretBytes {
        let lines = String(decoding: try readPrivate(path, in: files), as: UTF8.self).split(separator: "\n")
        let parameters = lines.count == 3 ? lines[1].split(separator: " ") : []
        guard lines.count == 3, lines[0] == "shikaku-secret/1", parameters.count == 3, parameters[0] == "pbkdf2-sha256",
            let iterations = Int(parameters[1]), (1...10_000_000).contains(iterations),
            let salt = try? Base64.decode(String(parameters[2])), let sealed = try? Base64.decode(String(lines[2])),
            let box = try? AESGCM.SealedBox(combined: sealed)
        else { throw StoreError(.damaged, "the sealed secret file is damaged", path: path) }
        let key = try PBKDF2.deriveKey(passphrase: passphrase, salt: salt, iterations: iterations, count: 32)
        var plaintext: [UInt8]
        do {
            plaintext = try AESGCM.open(box, key: key, authenticating: Array("shikaku-secret/1".utf8))
        } catch {
            throw CryptoError(.wrongPassphrase, "the passphrase does not open \(path); check the passphrase (or its file) and try again")
        }
        return SecretBytes(wiping: &plaintext)
    }

    /// Seals `secret` under `passphrase` and writes it, mode 0600, durably.
    public static func writeSecret(_ secret: SecretBytes, to path: String, passphrase: SecretBytes, in files: FileSystem) throws {
        let salt = try SecureRandom.bytes(count: 16)
        let key = try PBKDF2.deriveKey(passphrase: passphrase, salt: salt, iterations: iterations, count: 32)
        let box = try AESGCM.seal(secret, key: key, authenticating: Array("shikaku-secret/1".utf8))
        let text = "shikaku-secret/1\npbkdf2-sha256 \(iterations) \(Base64.encode(salt))\n\(Base64.encode(box.combined))\n"
        try files.replaceDurably(path, with: Array(text.utf8), permissions: 0o600)
    }

    /// The bytes of a private file, after checking that only its owner can read it.
    private static func readPrivate(_ path: String, in files: FileSystem) throws -> [UInt8] {
        guard let status = try files.status(path) else {
            throw StoreError(.missing, "the key file \(path) does not exist", path: path)
        }
        guard status.permissions & 0o077 == 0 else {
            let mode = String(status.permissions, radix: 8)
            throw StoreError(
                .keyFilePermissions,
                "the key file \(path) can be read by others (mode \(mode)); private keys must be mode 600. "
                    + "Fix it with: chmod 600 \(path)", path: path)
        }
        return try files.readAll(path)
    }
}
