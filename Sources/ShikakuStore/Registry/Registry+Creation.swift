import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel

extension Registry {
    /// An authority a new registry starts with.
    public struct AuthoritySpec: Sendable {
        /// Its short identifier.
        public let id: String
        /// Its name.
        public let name: String
        /// Its prefecture, for a prefectural office; `nil` for the national one.
        public let prefecture: Prefecture?

        /// Creates a spec.
        public init(id: String, name: String, prefecture: Prefecture?) {
            self.id = id
            self.name = name
            self.prefecture = prefecture
        }

        /// What it registers, as the catalog says: a prefecture the prefectural registers, the national
        /// office the rest.
        public var qualifications: [QualificationCode] {
            Catalog.all.filter { $0.registeredBy == (prefecture == nil ? .national : .prefectural) }.map(\.code)
        }
    }

    /// Creates a registry at `root`: folders, keys (encrypted under `passphrase`, mode 0600), secret,
    /// configuration, journal, and a first signed checkpoint over the authorities' keys.
    /// - Throws: `store.not-a-registry` when `root` exists and is not empty; `store.io`.
    public static func create(
        at root: String, name: String, origin: String?, baseURL: String?, authorities: [AuthoritySpec],
        passphrase: SecretBytes, files: FileSystem = PosixFileSystem(), now: Timestamp = .now()
    ) throws -> Registry {
        let layout = RegistryLayout(root: root)
        if let status = try files.status(layout.root) {
            guard status.isDirectory, try files.list(layout.root).isEmpty else {
                throw StoreError(.alreadyExists, "\(layout.root) exists and is not an empty folder; choose a new one", path: layout.root)
            }
        } else {
            try files.makeDirectory(layout.root, permissions: 0o755)
        }
        guard !authorities.isEmpty, Set(authorities.map(\.id)).count == authorities.count else {
            throw StoreError(.notARegistry, "a registry needs at least one authority, each with its own id")
        }
        for directory in [layout.keysDirectory, layout.logDirectory, layout.indexDirectory] {
            try files.makeDirectory(directory, permissions: directory == layout.keysDirectory ? 0o700 : 0o755)
        }
        let id = try SecureRandom.bytes(count: 16)
        let idHex = SHA256.Digest.hexString(id)
        try KeyFile.writeSecret(try SecureRandom.secret(count: 32), to: layout.holderSecret, passphrase: passphrase, in: files)
        let logKey = try Ed25519.PrivateKey()
        try KeyFile.writeKey(logKey, to: layout.logKey, passphrase: passphrase, in: files)
        let logOrigin = origin ?? "shikaku.localhost/registry/\(idHex.prefix(16))"
        var configured: [RegistryConfig.Authority] = []
        for spec in authorities {
            let key = try Ed25519.PrivateKey()
            let file = "keys/\(spec.id)-1.key"
            try KeyFile.writeKey(key, to: layout.path(file), passphrase: passphrase, in: files)
            configured.append(
                RegistryConfig.Authority(
                    id: spec.id, name: spec.name, level: spec.prefecture == nil ? .national : .prefectural, prefecture: spec.prefecture,
                    qualifications: spec.qualifications,
                    keys: [RegistryConfig.AuthorityKey(did: key.publicKey.didKey, file: file, validFrom: now, validUntil: nil)]))
        }
        let config = RegistryConfig(
            id: idHex, name: name, origin: logOrigin, baseURL: baseURL ?? "https://\(logOrigin)", created: now,
            logKey: try NoteSigner(name: logOrigin, key: logKey).verifier.vkey, defaultAuthority: authorities[0].id,
            authorities: configured)
        _ = try Journal.create(files: files, path: layout.journal, registryID: id)
        try files.replaceDurably(layout.config, with: Array(config.json.prettyPrinted().utf8) + [0x0A])
        try files.syncDirectory(layout.root)
        let registry = try Registry(opening: root, files: files, writable: true)
        for authority in configured {
            try registry.append(JournalEntry(time: now, authority: authority.id, body: .key(did: authority.keys[0].did)))
        }
        try registry.commit()
        try registry.signCheckpoint(with: logKey)
        return registry
    }

    /// The registry's holder-key secret.
    /// - Throws: the key file's errors, `crypto.wrong-passphrase`.
    public func holderSecret(passphrase: SecretBytes) throws -> SecretBytes {
        try KeyFile.readSecret(layout.holderSecret, passphrase: passphrase, in: files)
    }

    /// The log's signing key.
    public func logKey(passphrase: SecretBytes) throws -> Ed25519.PrivateKey {
        try KeyFile.readKey(layout.logKey, passphrase: passphrase, in: files)
    }

    /// An authority's current signing key, as an issuer.
    /// - Throws: `store.missing` for an unknown authority; the key file's errors.
    public func issuer(_ authorityID: String, passphrase: SecretBytes) throws -> Issuer {
        guard let authority = config.authority(authorityID), let current = authority.keys.last else {
            throw StoreError(.missing, "the registry has no authority \"\(authorityID)\"")
        }
        let key = try KeyFile.readKey(layout.path(current.file), passphrase: passphrase, in: files)
        guard key.publicKey.didKey == current.did else {
            throw StoreError(.damaged, "the key file \(current.file) does not hold \(authority.name)'s key", path: layout.path(current.file))
        }
        return Issuer(authorityID: authority.id, name: authority.name, key: key)
    }

    /// Replaces an authority's signing key: the old key's window closes now, a new one opens, and the change
    /// is logged. Credentials the old key signed inside its window stay valid.
    /// - Returns: The new key's did:key.
    public func rotateKey(of authorityID: String, passphrase: SecretBytes, logKey: Ed25519.PrivateKey, at now: Timestamp = .now()) throws -> String {
        try checkWritable()
        guard let position = config.authorities.firstIndex(where: { $0.id == authorityID }) else {
            throw StoreError(.missing, "the registry has no authority \"\(authorityID)\"")
        }
        _ = try issuer(authorityID, passphrase: passphrase)
        let key = try Ed25519.PrivateKey()
        let file = "keys/\(authorityID)-\(config.authorities[position].keys.count + 1).key"
        try KeyFile.writeKey(key, to: layout.path(file), passphrase: passphrase, in: files)
        var updated = config
        updated.authorities[position].keys[updated.authorities[position].keys.count - 1].validUntil = now
        updated.authorities[position].keys.append(
            RegistryConfig.AuthorityKey(did: key.publicKey.didKey, file: file, validFrom: now, validUntil: nil))
        try append(JournalEntry(time: now, authority: authorityID, body: .key(did: key.publicKey.didKey)))
        try commit()
        try poisoning { () throws(StoreError) in try files.replaceDurably(layout.config, with: Array(updated.json.prettyPrinted().utf8) + [0x0A]) }
        config = updated
        try signCheckpoint(with: logKey)
        return key.publicKey.didKey
    }
}
