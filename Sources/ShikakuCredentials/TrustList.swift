import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// Which keys speak for which licensing authority, for which qualifications, and when: what a
/// verifier trusts. Signed by the registry's own key with eddsa-jcs-2022, and shipped in the export
/// folder, so that verification needs no network.
///
/// Keys are never removed: after a rotation the old key's window closes, and credentials it signed
/// inside its window stay valid.
public struct TrustList: Sendable, Hashable {
    /// One authority.
    public struct Authority: Sendable, Hashable {
        /// The registry's identifier: `mhlw`, `tokyo`.
        public let id: String
        /// Its name: 厚生労働大臣, 東京都知事.
        public let name: String
        /// The qualifications it registers.
        public let qualifications: [QualificationCode]
        /// Its keys, oldest first.
        public let keys: [Key]

        /// Creates an authority entry.
        public init(id: String, name: String, qualifications: [QualificationCode], keys: [Key]) {
            self.id = id
            self.name = name
            self.qualifications = qualifications
            self.keys = keys
        }
    }

    /// One key and its window.
    public struct Key: Sendable, Hashable {
        /// The key's did:key.
        public let did: String
        /// From when it may sign.
        public let validFrom: Timestamp
        /// Until when it may sign; `nil` while it is the current key.
        public let validUntil: Timestamp?

        /// Creates a key entry.
        public init(did: String, validFrom: Timestamp, validUntil: Timestamp?) {
            self.did = did
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        /// Whether `time` falls in the window.
        public func covers(_ time: Timestamp) -> Bool {
            validFrom <= time && validUntil.map { time <= $0 } ?? true
        }
    }

    /// The registry the list belongs to.
    public let registry: String
    /// The authorities.
    public let authorities: [Authority]

    /// Creates a trust list.
    public init(registry: String, authorities: [Authority]) {
        self.registry = registry
        self.authorities = authorities
    }

    /// The authority and key entry for a did:key, if the list has it.
    public func key(_ did: String) -> (Authority, Key)? {
        for authority in authorities {
            if let key = authority.keys.first(where: { $0.did == did }) { return (authority, key) }
        }
        return nil
    }

    /// The authority and key entry of the key behind a proof's `verificationMethod`, if the key was in its
    /// window at `created`, the proof's creation time.
    /// - Returns: The entries; or why the list does not vouch for the key: UNKNOWN_KEY when it does not name
    ///   it, KEY_OUTSIDE_VALIDITY when `created` is outside its window (or not a UTC time).
    public func signer(_ verificationMethod: String, created: String) -> Result<(authority: Authority, key: Key), FailureReason> {
        let did = Self.did(of: verificationMethod)
        guard let (authority, key) = key(did) else {
            return .failure(FailureReason(.unknownKey, "the signing key \(did) is not in the trust list"))
        }
        guard let signedAt = try? Timestamp(iso: created), key.covers(signedAt) else {
            let window = "\(key.validFrom.iso) to \(key.validUntil?.iso ?? "now")"
            return .failure(FailureReason(.keyOutsideWindow, "the key of \(authority.name) was valid \(window), not at \(created)"))
        }
        return .success((authority, key))
    }

    /// The did:key a verification method belongs to: `did:key:z6Mk…#z6Mk…` → `did:key:z6Mk…`.
    static func did(of verificationMethod: String) -> String { String(verificationMethod.split(separator: "#").first ?? "") }

    /// The format the subject names, bumped when its shape changes.
    public static let format = "shikaku-trust-list/2"
    /// The credential's type beside `VerifiableCredential`.
    public static let type = "ShikakuTrustList"

    /// The unsigned document: a VC 2.0 credential whose subject holds the entries, every term defined by the
    /// Shikaku context (`Registry/contexts/credentials-v1.jsonld`).
    ///
    ///     {"@context": [VC 2.0, Shikaku], "type": ["VerifiableCredential", "ShikakuTrustList"],
    ///      "issuer": "did:key:…" (the registry's key), "validFrom": "…Z",
    ///      "credentialSubject": {"type": "TrustedAuthorities", "format": "shikaku-trust-list/2", "registry": "<id>",
    ///        "authorities": [{"type": "LicensingAuthority", "identifier": "mhlw", "name": "厚生労働大臣",
    ///          "qualifications": ["physician", …], "keys": [{"id": "did:key:…", "validFrom": "…Z", "validUntil"?: "…Z"}]}]},
    ///      "proof": {eddsa-jcs-2022}}
    public var document: JSONObject { unsigned(issuer: nil, at: nil) }

    private func unsigned(issuer: String?, at time: Timestamp?) -> JSONObject {
        var document: JSONObject = [
            "@context": [.string(QualificationCredential.baseContext), .string(QualificationCredential.shikakuContext)],
            "type": ["VerifiableCredential", .string(Self.type)],
        ]
        if let issuer { document["issuer"] = .string(issuer) }
        if let time { document["validFrom"] = .string(time.iso) }
        document["credentialSubject"] = [
            "type": "TrustedAuthorities", "format": .string(Self.format), "registry": .string(registry),
            "authorities": .array(
                authorities.map { authority in
                    [
                        "type": "LicensingAuthority", "identifier": .string(authority.id), "name": .string(authority.name),
                        "qualifications": .array(authority.qualifications.map { .string($0.rawValue) }),
                        "keys": .array(
                            authority.keys.map { key in
                                var entry: JSONObject = ["id": .string(key.did), "validFrom": .string(key.validFrom.iso)]
                                if let until = key.validUntil { entry["validUntil"] = .string(until.iso) }
                                return .object(entry)
                            }),
                    ]
                }),
        ]
        return document
    }

    /// Signs the list with the registry's key.
    /// - Throws: `credential.signing`.
    public func signed(by key: Ed25519.PrivateKey, at time: Timestamp) throws(CredentialError) -> JSONObject {
        let options = DataIntegrity.Options(created: time.iso, verificationMethod: key.publicKey.didKeyVerificationMethod)
        return try DataIntegrity.sign(unsigned(issuer: key.publicKey.didKey, at: time), options: options, key: key)
    }

    /// Reads a signed trust list and checks it was signed by `registryKey`, and names it as its issuer.
    /// - Throws: `credential.trust-list` when it is malformed, of another format, or its signature does not verify.
    public init(signed document: JSONObject, registryKey: Ed25519.PublicKey) throws(CredentialError) {
        let outcome = DataIntegrity.verify(document) { method in
            method == registryKey.didKeyVerificationMethod ? registryKey : nil
        }
        if case .failed(let reason) = outcome {
            throw CredentialError(.trustList, "the trust list is not signed by the registry's key: \(reason.message)")
        }
        do {
            let reader = JSONReader(.object(document))
            guard try reader["type"].array().map({ try $0.string() }) == ["VerifiableCredential", Self.type],
                try reader["issuer"].string() == registryKey.didKey
            else { throw CredentialError(.trustList, "not a ShikakuTrustList credential issued by the registry's key") }
            let subject = reader["credentialSubject"]
            let format = try subject["format"].optionalString()
            guard format == Self.format else {
                throw CredentialError(
                    .trustList, "the trust list's format is \(format ?? "not given"), not \(Self.format): export the folder again")
            }
            let authorities = try subject["authorities"].array().map { (entry) throws -> Authority in
                Authority(
                    id: try entry["identifier"].string(), name: try entry["name"].string(),
                    qualifications: try entry["qualifications"].array().map { QualificationCode(rawValue: try $0.string()) },
                    keys: try entry["keys"].array().map { key in
                        Key(
                            did: try key["id"].string(), validFrom: try Timestamp(iso: try key["validFrom"].string()),
                            validUntil: try key["validUntil"].optionalString().map { (text) throws in try Timestamp(iso: text) })
                    })
            }
            self.init(registry: try subject["registry"].string(), authorities: authorities)
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError(.trustList, "the trust list is malformed: \(error)")
        }
    }
}
