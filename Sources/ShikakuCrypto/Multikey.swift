// Multikey (W3C Controlled Identifiers §2.2.2) and did:key (W3C CCG did:key v0.7) for Ed25519:
// public key  = "z" + base58btc(0xED 0x01 ‖ 32-byte key)   → always starts "z6Mk"
// secret key  = "z" + base58btc(0x80 0x26 ‖ 32-byte seed)  → always starts "z3u2"
// did:key     = "did:key:" + public multikey, and its verification method "did:key:z6Mk…#z6Mk…".

extension Ed25519.PublicKey {
    private static let multicodec: [UInt8] = [0xED, 0x01]

    /// The Multikey `publicKeyMultibase` form: `z6Mk…`.
    public var multibase: String { "z" + Base58.encode(Self.multicodec + rawRepresentation) }

    /// Reads a Multikey `publicKeyMultibase`.
    /// - Throws: `crypto.invalid-multikey` unless it is `z` + base58btc of 0xED 0x01 and 32 bytes.
    public init(multibase text: String) throws(CryptoError) {
        guard text.first == "z", let bytes = try? Base58.decode(String(text.dropFirst())), bytes.count == 34,
            Array(bytes.prefix(2)) == Self.multicodec
        else {
            throw CryptoError(
                .invalidMultikey, "\"\(text.prefix(80))\" is not an Ed25519 Multikey (z + base58btc of 0xed01 and 32 bytes)")
        }
        try self.init(rawRepresentation: Array(bytes.dropFirst(2)))
    }

    /// The `did:key` of this key.
    public var didKey: String { "did:key:" + multibase }

    /// The verification method id for this key's did:key: `did:key:z6Mk…#z6Mk…`.
    public var didKeyVerificationMethod: String { didKey + "#" + multibase }

    /// Reads a `did:key`, or a verification method id of one (`did:key:z6Mk…#z6Mk…`). Every proof checked
    /// names one, and the same few again and again: each thread decodes a text once.
    /// - Throws: `crypto.invalid-multikey`.
    public init(didKey text: String) throws(CryptoError) {
        self = try ThreadKeyCache.current.publicKey(didKey: text)
    }

    init(decodingDidKey text: String) throws(CryptoError) {
        guard text.hasPrefix("did:key:") else {
            throw CryptoError(.invalidMultikey, "\"\(text.prefix(80))\" is not a did:key")
        }
        let rest = text.dropFirst("did:key:".count)
        let parts = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[0] != parts[1] {
            throw CryptoError(.invalidMultikey, "the did:key fragment does not name the did:key's own key")
        }
        try self.init(multibase: String(parts[0]))
    }
}

extension Ed25519.PrivateKey {
    private static let secretMulticodec: [UInt8] = [0x80, 0x26]

    /// Reads a Multikey `secretKeyMultibase` (`z3u2…`).
    /// - Throws: `crypto.invalid-multikey`.
    public init(secretMultibase text: String) throws(CryptoError) {
        guard text.first == "z", var bytes = try? Base58.decode(String(text.dropFirst())), bytes.count == 34,
            Array(bytes.prefix(2)) == Self.secretMulticodec
        else { throw CryptoError(.invalidMultikey, "not an Ed25519 Multikey secret (z + base58btc of 0x8026 and 32 bytes)") }
        let seed = bytes.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[2...])) }
        SecretBytes.wipe(&bytes)
        try self.init(seed: seed)
    }
}
