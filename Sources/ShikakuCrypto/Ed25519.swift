internal import COpenSSL

/// Ed25519 signatures (RFC 8032, PureEdDSA: no prehash, no context) through OpenSSL.
public enum Ed25519 {
    /// A private key. The key lives inside OpenSSL (`EVP_PKEY`), which wipes it when the last copy of
    /// this value is dropped; signing never re-creates it.
    public struct PrivateKey: Sendable {
        let backing: KeyBacking
        /// The matching public key.
        public let publicKey: PublicKey

        /// A new random key.
        /// - Throws: `crypto.openssl` if OpenSSL cannot generate one.
        public init() throws(CryptoError) {
            try self.init(seed: SecureRandom.secret(count: 32))
        }

        /// The key whose RFC 8032 secret (the 32-byte seed) is `seed`.
        /// - Throws: `crypto.invalid-key-length` unless the seed has 32 bytes.
        public init(seed: SecretBytes) throws(CryptoError) {
            guard seed.count == 32 else {
                throw CryptoError(.invalidKeyLength, "an Ed25519 secret key has 32 bytes, not \(seed.count)")
            }
            let pointer = seed.withUnsafeBytes {
                EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), 32)
            }
            guard let pointer else { throw OpenSSL.failure("OpenSSL refused the Ed25519 secret key") }
            try self.init(taking: pointer)
        }

        /// Takes ownership of an Ed25519 `EVP_PKEY`.
        init(taking pointer: OpaquePointer) throws(CryptoError) {
            backing = KeyBacking(pointer)
            guard EVP_PKEY_get_id(pointer) == EVP_PKEY_ED25519 else {
                throw CryptoError(.notEd25519, "the key is not an Ed25519 key")
            }
            publicKey = try PublicKey(rawRepresentation: try backing.rawPublicKey())
        }

        /// The RFC 8032 secret (seed), for exporting it as a Multikey secret.
        /// - Throws: `crypto.openssl` if OpenSSL will not export it.
        public func seed() throws(CryptoError) -> SecretBytes {
            try SecretBytes(count: 32) { (buffer) throws(CryptoError) in
                var length = 32
                guard
                    EVP_PKEY_get_raw_private_key(
                        backing.pointer, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1,
                    length == 32
                else { throw OpenSSL.failure("OpenSSL would not export the Ed25519 secret key") }
            }
        }

        /// The 64-byte signature of `message`.
        /// - Throws: `crypto.openssl` if OpenSSL fails to sign.
        public func signature(for message: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
            try Signer(self).signature(for: message)
        }

        /// A signer for many messages: set up once, as `openssl speed` does, since setting up costs a good part
        /// of a signature.
        /// - Throws: `crypto.openssl` if OpenSSL cannot set up the signature.
        public func signer() throws(CryptoError) -> Signer { try Signer(self) }

        /// The 64-byte signature of `message`.
        /// - Throws: `crypto.openssl` if OpenSSL fails to sign.
        public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
            try message.withUnsafeBytes { bytes in Result { () throws(CryptoError) in try signature(for: bytes) } }.get()
        }
    }

    /// Signs many messages with one key on one thread: the OpenSSL context is set up once, and Ed25519's
    /// one-shot `EVP_DigestSign` leaves it ready for the next message. Not for sharing between threads; make
    /// one per thread.
    public final class Signer {
        private let context: OpaquePointer
        /// The key, kept alive as long as the context uses it.
        private let key: PrivateKey

        init(_ key: PrivateKey) throws(CryptoError) {
            guard let context = EVP_MD_CTX_new() else { throw OpenSSL.failure("could not allocate a digest context") }
            // The digest must be NULL for Ed25519: it hashes internally (RFC 8032 §5.1.6).
            guard EVP_DigestSignInit(context, nil, nil, nil, key.backing.pointer) == 1 else {
                EVP_MD_CTX_free(context)
                throw OpenSSL.failure("OpenSSL could not start an Ed25519 signature")
            }
            self.context = context
            self.key = key
        }

        deinit { EVP_MD_CTX_free(context) }

        /// The 64-byte signature of `message`.
        /// - Throws: `crypto.openssl` if OpenSSL fails to sign.
        public func signature(for message: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: 64)
            var length = 64
            guard
                EVP_DigestSign(
                    context, &signature, &length, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
                    == 1, length == 64
            else { throw OpenSSL.failure("OpenSSL could not make an Ed25519 signature") }
            return signature
        }

        /// The 64-byte signature of `message`.
        /// - Throws: `crypto.openssl` if OpenSSL fails to sign.
        public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
            try message.withUnsafeBytes { bytes in Result { () throws(CryptoError) in try signature(for: bytes) } }.get()
        }
    }

    /// Checks many signatures by one key on one thread: the key and the OpenSSL context are set up once, as
    /// `openssl speed` does, since setting up costs a third of a verification. Not for sharing between threads.
    final class Verifier {
        private let key: OpaquePointer
        private let context: OpaquePointer

        init(_ publicKey: PublicKey) throws(CryptoError) {
            guard let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, publicKey.rawRepresentation, 32) else {
                throw OpenSSL.failure("OpenSSL refused the Ed25519 public key")
            }
            guard let context = EVP_MD_CTX_new() else {
                EVP_PKEY_free(key)
                throw OpenSSL.failure("could not allocate a digest context")
            }
            guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else {
                EVP_MD_CTX_free(context)
                EVP_PKEY_free(key)
                throw OpenSSL.failure("OpenSSL could not start an Ed25519 verification")
            }
            self.key = key
            self.context = context
        }

        deinit {
            EVP_MD_CTX_free(context)
            EVP_PKEY_free(key)
        }

        /// Whether `signature` (64 bytes) is a valid signature of `message`. Ed25519's one-shot
        /// `EVP_DigestVerify` leaves the context ready for the next message, whatever its answer.
        func isValidSignature(_ signature: [UInt8], for message: UnsafeRawBufferPointer) -> Bool {
            let valid =
                EVP_DigestVerify(context, signature, 64, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
                == 1
            OpenSSL.clearErrors()
            return valid
        }
    }

    /// A public key: 32 bytes, the encoded point of RFC 8032 §5.1.5.
    public struct PublicKey: Sendable, Hashable {
        /// The 32 bytes.
        public let rawRepresentation: [UInt8]

        /// The key whose encoding is `rawRepresentation`.
        /// - Throws: `crypto.invalid-key-length` unless it has 32 bytes.
        public init(rawRepresentation: [UInt8]) throws(CryptoError) {
            guard rawRepresentation.count == 32 else {
                throw CryptoError(.invalidKeyLength, "an Ed25519 public key has 32 bytes, not \(rawRepresentation.count)")
            }
            self.rawRepresentation = rawRepresentation
        }

        /// Whether `signature` is a valid signature of `message` by this key.
        ///
        /// Anything but 64 bytes is refused before OpenSSL sees it; OpenSSL rejects
        /// non-canonical S (S ≥ L) and other malleable forms (Wycheproof).
        /// The check runs on this thread's prepared verifier for the key (see `ThreadKeyCache`), so that
        /// checking many signatures by a few keys costs what `openssl speed` measures.
        public func isValidSignature(_ signature: [UInt8], for message: UnsafeRawBufferPointer) -> Bool {
            guard signature.count == 64, let verifier = ThreadKeyCache.current.verifier(for: self) else {
                OpenSSL.clearErrors()
                return false
            }
            return verifier.isValidSignature(signature, for: message)
        }

        /// Whether `signature` is a valid signature of `message` by this key.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            message.withUnsafeBytes { isValidSignature(signature, for: $0) }
        }
    }
}

/// Owns an `EVP_PKEY` and frees it (OpenSSL wipes private key material) when the last key value goes.
final class KeyBacking: @unchecked Sendable {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    func rawPublicKey() throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(pointer, &bytes, &length) == 1, length == 32 else {
            throw OpenSSL.failure("OpenSSL would not give the Ed25519 public key")
        }
        return bytes
    }
}

extension OpenSSL {
    /// Drops queued errors of a call whose failure is an answer (an invalid signature), not a fault.
    static func clearErrors() { ERR_clear_error() }
}
