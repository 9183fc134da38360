import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// `registry.json`: what a registry is and who acts in it. Public data only; keys are in `keys/`.
///
///     {"format": "shikaku-registry/1", "id": "<32 hex>", "name": "…", "origin": "<log origin>",
///      "baseURL": "https://…", "created": "…Z", "logKey": "<note verifier key>",
///      "defaultAuthority": "mhlw",
///      "authorities": [{"id", "name", "level", "prefecture", "qualifications": [...],
///                       "keys": [{"id": "did:key:…", "file": "keys/mhlw-1.key", "validFrom", "validUntil"}]}]}
public struct RegistryConfig: Sendable, Hashable {
    /// One licensing authority acting in the registry.
    public struct Authority: Sendable, Hashable {
        /// Its short identifier: `mhlw`, `tokyo`.
        public let id: String
        /// Its name: 厚生労働大臣, 東京都知事.
        public let name: String
        /// National or prefectural.
        public let level: OfficeLevel
        /// Its prefecture, for a prefectural authority.
        public let prefecture: Prefecture?
        /// The qualifications it registers.
        public let qualifications: [QualificationCode]
        /// Its signing keys, oldest first; the last is current.
        public var keys: [AuthorityKey]

        /// Creates an authority.
        public init(id: String, name: String, level: OfficeLevel, prefecture: Prefecture?, qualifications: [QualificationCode], keys: [AuthorityKey]) {
            self.id = id
            self.name = name
            self.level = level
            self.prefecture = prefecture
            self.qualifications = qualifications
            self.keys = keys
        }

        /// Whether it may register `code`.
        public func registers(_ code: QualificationCode) -> Bool { qualifications.contains(code) }
    }

    /// One signing key of an authority.
    public struct AuthorityKey: Sendable, Hashable {
        /// The key's did:key.
        public let did: String
        /// The encrypted key file, relative to the registry folder.
        public let file: String
        /// From when it signs.
        public let validFrom: Timestamp
        /// Until when it signed; `nil` for the current key.
        public var validUntil: Timestamp?

        /// Creates a key entry.
        public init(did: String, file: String, validFrom: Timestamp, validUntil: Timestamp?) {
            self.did = did
            self.file = file
            self.validFrom = validFrom
            self.validUntil = validUntil
        }
    }

    /// The registry's random identifier, 16 bytes as hex; every data file carries it.
    public let id: String
    /// A name for people.
    public let name: String
    /// The Merkle log's origin line (and its key's name).
    public let origin: String
    /// Where the export folder is served, for status list URLs.
    public let baseURL: String
    /// When it was created.
    public let created: Timestamp
    /// The log key's note verifier key.
    public let logKey: String
    /// The authority commands act as when none is named.
    public var defaultAuthority: String
    /// The authorities.
    public var authorities: [Authority]

    /// Creates a configuration.
    public init(
        id: String, name: String, origin: String, baseURL: String, created: Timestamp, logKey: String, defaultAuthority: String,
        authorities: [Authority]
    ) {
        self.id = id
        self.name = name
        self.origin = origin
        self.baseURL = baseURL
        self.created = created
        self.logKey = logKey
        self.defaultAuthority = defaultAuthority
        self.authorities = authorities
    }

    /// The registry id's 16 bytes.
    public var idBytes: [UInt8] { SHA256.Digest.bytes(hex: id) ?? [] }

    /// The authority with `id`.
    public func authority(_ id: String) -> Authority? { authorities.first { $0.id == id } }

    /// The public site for status lists.
    public var site: PublicationSite { PublicationSite(baseURL: baseURL) }

    /// The trust list these authorities and keys make.
    public var trustList: TrustList {
        TrustList(
            registry: id,
            authorities: authorities.map { authority in
                TrustList.Authority(
                    id: authority.id, name: authority.name, qualifications: authority.qualifications,
                    keys: authority.keys.map { TrustList.Key(did: $0.did, validFrom: $0.validFrom, validUntil: $0.validUntil) })
            })
    }

    /// The configuration as `registry.json` holds it.
    public var json: JSONValue {
        [
            "format": "shikaku-registry/1", "id": .string(id), "name": .string(name), "origin": .string(origin),
            "baseURL": .string(baseURL), "created": .string(created.iso), "logKey": .string(logKey),
            "defaultAuthority": .string(defaultAuthority),
            "authorities": .array(
                authorities.map { authority in
                    [
                        "id": .string(authority.id), "name": .string(authority.name), "level": .string(authority.level.rawValue),
                        "prefecture": authority.prefecture.map { .string($0.romanized) } ?? .null,
                        "qualifications": .array(authority.qualifications.map { .string($0.rawValue) }),
                        "keys": .array(
                            authority.keys.map { key in
                                [
                                    "id": .string(key.did), "file": .string(key.file), "validFrom": .string(key.validFrom.iso),
                                    "validUntil": key.validUntil.map { .string($0.iso) } ?? .null,
                                ]
                            }),
                    ]
                }),
        ]
    }

    /// Reads `registry.json`.
    /// - Throws: `store.damaged` naming the member at fault.
    public init(json bytes: [UInt8], path: String) throws(StoreError) {
        do {
            let reader = JSONReader(try JSONValue.parse(bytes))
            guard try reader["format"].string() == "shikaku-registry/1" else {
                throw StoreError(.foreignFile, "not a shikaku-registry/1 file", path: path)
            }
            let authorities = try reader["authorities"].array().map { (entry) throws -> Authority in
                let prefecture = try entry["prefecture"].optionalString().flatMap(Prefecture.named)
                return Authority(
                    id: try entry["id"].string(), name: try entry["name"].string(),
                    level: OfficeLevel(rawValue: try entry["level"].string()) ?? .national, prefecture: prefecture,
                    qualifications: try entry["qualifications"].array().map { QualificationCode(rawValue: try $0.string()) },
                    keys: try entry["keys"].array().map { key in
                        AuthorityKey(
                            did: try key["id"].string(), file: try key["file"].string(),
                            validFrom: try Timestamp(iso: try key["validFrom"].string()),
                            validUntil: try key["validUntil"].optionalString().map { (text) throws in try Timestamp(iso: text) })
                    })
            }
            self.init(
                id: try reader["id"].string(), name: try reader["name"].string(), origin: try reader["origin"].string(),
                baseURL: try reader["baseURL"].string(), created: try Timestamp(iso: try reader["created"].string()),
                logKey: try reader["logKey"].string(), defaultAuthority: try reader["defaultAuthority"].string(),
                authorities: authorities)
            guard idBytes.count == 16 else { throw StoreError(.damaged, "the registry id is not 32 hex digits", path: path) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.damaged, "registry.json is damaged: \(error)", path: path)
        }
    }
}
