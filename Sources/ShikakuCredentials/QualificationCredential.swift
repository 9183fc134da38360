import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// The Verifiable Credential (VC Data Model 2.0) attesting one registration, as Shikaku issues it.
///
///     {"@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/shikaku/credentials/v1"],
///      "id": "urn:uuid:…", "type": ["VerifiableCredential", "QualificationCredential"],
///      "issuer": {"id": "did:key:z6Mk…", "name": "厚生労働大臣"},
///      "validFrom": "…Z", "validUntil": "…Z" (where the card expires),
///      "credentialSubject": {"type": "QualifiedPerson", "name", "nameKana", "formerSurname"?, "birthDate",
///        "qualification": {"type": "NationalQualification", "code", "name", "register", "registrationNumber",
///          "registrationDate", "certificate", "certificateSerial", "prefecture"?, "additions"?}},
///      "credentialStatus": [revocation entry, suspension entry],
///      "proof": {eddsa-jcs-2022}}
///
/// No My Number, no address, no holder key: only what the certificate itself shows.
public enum QualificationCredential {
    /// The VC 2.0 base context.
    public static let baseContext = "https://www.w3.org/ns/credentials/v2"
    /// Shikaku's context, published as `Registry/credentials-v1.jsonld`.
    public static let shikakuContext = "https://w3id.org/shikaku/credentials/v1"
    /// The credential's type beside `VerifiableCredential`.
    public static let type = "QualificationCredential"

    /// What a new credential is about.
    public struct Content: Sendable {
        /// The registration as it stands.
        public var registration: Registration
        /// Its qualification.
        public var qualification: Qualification
        /// The day the certificate takes effect (registration, amendment, renewal, reissue).
        public var effectiveDate: CalendarDate
        /// Its status bits.
        public var slot: StatusSlot

        /// Creates content.
        public init(registration: Registration, qualification: Qualification, effectiveDate: CalendarDate, slot: StatusSlot) {
            self.registration = registration
            self.qualification = qualification
            self.effectiveDate = effectiveDate
            self.slot = slot
        }
    }

    /// Who a credential names as its issuer: the authority and the did:key of the key that signs.
    public struct IssuerName: Sendable, Hashable {
        /// The authority's identifier, which names its status lists.
        public let authorityID: String
        /// The authority's name.
        public let name: String
        /// The signing key's did:key.
        public let did: String

        /// Creates an issuer name.
        public init(authorityID: String, name: String, did: String) {
            self.authorityID = authorityID
            self.name = name
            self.did = did
        }
    }

    /// The unsigned credential.
    /// - Parameters:
    ///   - id: A random UUID (`urn:uuid:` is prefixed).
    public static func document(_ content: Content, issuer: IssuerName, site: PublicationSite, id: String) -> JSONObject {
        let registration = content.registration
        let holder = registration.holder
        var qualification: JSONObject = [
            "type": "NationalQualification", "code": .string(content.qualification.code.rawValue),
            "name": .string(content.qualification.name), "register": .string(content.qualification.register),
            "registrationNumber": .string(registration.id.number), "registrationDate": .string(registration.registeredOn.iso),
            "certificate": .string(content.qualification.certificate),
            "certificateSerial": .number(JSONNumber(registration.certificateSerial)),
        ]
        if let prefecture = registration.prefecture { qualification["prefecture"] = .string(prefecture.name) }
        if !registration.additions.isEmpty {
            qualification["additions"] = .array(
                registration.additions.map { addition in
                    [
                        "code": .string(addition.code),
                        "name": .string(content.qualification.addition(addition.code)?.name ?? addition.code),
                        "date": .string(addition.date.iso),
                    ]
                })
        }
        var subject: JSONObject = ["type": "QualifiedPerson", "name": .string(holder.name), "nameKana": .string(holder.nameKana)]
        if let former = holder.formerSurname { subject["formerSurname"] = .string(former) }
        subject["birthDate"] = .string(holder.birthDate.iso)
        subject["qualification"] = .object(qualification)

        var document: JSONObject = [
            "@context": [.string(baseContext), .string(shikakuContext)], "id": .string("urn:uuid:" + id),
            "type": ["VerifiableCredential", .string(type)],
            "issuer": ["id": .string(issuer.did), "name": .string(issuer.name)],
            "validFrom": .string(Timestamp(startOfDayInJapan: content.effectiveDate).iso),
        ]
        if let card = registration.card {
            let end = Timestamp(secondsSinceEpoch: Timestamp(startOfDayInJapan: card.upperBound.adding(days: 1)).secondsSinceEpoch - 1)
            document["validUntil"] = .string(end.iso)
        }
        document["credentialSubject"] = .object(subject)
        document["credentialStatus"] = .array(
            StatusPurpose.allCases.map { purpose in
                let list = site.statusListURL(authority: issuer.authorityID, purpose: purpose, list: content.slot.list)
                return [
                    "id": .string("\(list)#\(content.slot.index)"), "type": "BitstringStatusListEntry",
                    "statusPurpose": .string(purpose.rawValue), "statusListIndex": .string(String(content.slot.index)),
                    "statusListCredential": .string(list),
                ]
            })
        return document
    }

    /// A random version-4 UUID, as `urn:uuid:` identifiers use.
    /// - Throws: `credential.signing` if the random generator fails.
    public static func randomUUID() throws(CredentialError) -> String {
        guard var bytes = try? SecureRandom.bytes(count: 16) else {
            throw CredentialError(.signing, "the random number generator failed")
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        // Written straight into the string: one is made for every credential issued.
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                text[position] = digits.utf8Start[Int(byte >> 4)]
                text[position + 1] = digits.utf8Start[Int(byte & 15)]
                position += 2
            }
            return position
        }
    }
}

/// A signed credential with its canonical bytes and its hash.
public struct IssuedCredential: Sendable {
    /// The credential as read or rebuilt, or as just signed (whose tree is built only when asked for).
    private enum Form: Sendable {
        case document(JSONObject)
        case secured(DataIntegrity.Secured, Seal)
    }

    private let form: Form
    /// Its RFC 8785 canonical form.
    public let canonical: [UInt8]
    /// SHA-256 of ``canonical``: what an employer may hold instead of the credential.
    public let hash: SHA256.Digest

    /// Wraps a secured credential.
    public init(document: JSONObject) {
        form = .document(document)
        canonical = JSONValue.object(document).canonicalBytes
        hash = SHA256.hash(canonical)
    }

    /// Wraps a credential just signed, with the seal it was signed under.
    init(secured: DataIntegrity.Secured, seal: Seal) {
        form = .secured(secured, seal)
        canonical = secured.canonical
        hash = SHA256.hash(canonical)
    }

    /// The secured credential.
    public var document: JSONObject {
        switch form {
        case .document(let document): document
        case .secured(let secured, _): secured.document
        }
    }

    /// `sha256:<hex>`.
    public var hashText: String { CredentialHash.text(hash) }

    /// What, besides the registration, fixes a credential's bytes: the registry stores this and
    /// rebuilds the credential from it, checking the result against the stored hash.
    public struct Seal: Sendable, Hashable {
        /// The credential's UUID.
        public let id: String
        /// When the proof was made.
        public let created: Timestamp
        /// The proof's `proofValue`.
        public let proofValue: String

        /// Creates a seal.
        public init(id: String, created: Timestamp, proofValue: String) {
            self.id = id
            self.created = created
            self.proofValue = proofValue
        }
    }

    /// The UUID, creation time and proof value, if this is one of Shikaku's credentials.
    public var seal: Seal? {
        let document: JSONObject
        switch form {
        case .secured(_, let seal): return seal
        case .document(let whole): document = whole
        }
        guard let id = document["id"]?.stringValue, id.hasPrefix("urn:uuid:"), let proof = document["proof"]?.objectValue,
            let created = proof["created"]?.stringValue.flatMap({ try? Timestamp(iso: $0) }),
            let value = proof["proofValue"]?.stringValue
        else { return nil }
        return Seal(id: String(id.dropFirst(9)), created: created, proofValue: value)
    }

    /// Signs `content` as `issuer` at `time`.
    /// - Parameter signer: The issuer's key set up for this thread, when signing many.
    /// - Throws: `credential.signing`.
    public static func issue(
        _ content: QualificationCredential.Content, issuer: Issuer, site: PublicationSite, at time: Timestamp, signer: ProofSigner? = nil
    ) throws(CredentialError) -> IssuedCredential {
        let name = QualificationCredential.IssuerName(authorityID: issuer.authorityID, name: issuer.name, did: issuer.did)
        let id = try QualificationCredential.randomUUID()
        let unsigned = QualificationCredential.document(content, issuer: name, site: site, id: id)
        let options = DataIntegrity.Options(created: time.iso, verificationMethod: issuer.verificationMethod)
        let active: ProofSigner
        if let signer {
            active = signer
        } else {
            do {
                active = try ProofSigner(issuer.key)
            } catch {
                throw CredentialError(.signing, "the credential could not be signed: \(error)")
            }
        }
        let secured = try DataIntegrity.secure(unsigned, options: options, signer: active)
        return IssuedCredential(secured: secured, seal: Seal(id: id, created: time, proofValue: secured.proofValue))
    }

    /// Rebuilds a credential issued before from its content, issuer and seal, with no key.
    public static func reassemble(
        _ content: QualificationCredential.Content, issuer: QualificationCredential.IssuerName, site: PublicationSite, seal: Seal
    ) -> IssuedCredential {
        var document = QualificationCredential.document(content, issuer: issuer, site: site, id: seal.id)
        let method = issuer.did + "#" + issuer.did.dropFirst("did:key:".count)
        document["proof"] = [
            "type": .string(DataIntegrity.proofType), "cryptosuite": .string(DataIntegrity.cryptosuite),
            "created": .string(seal.created.iso), "verificationMethod": .string(method), "proofPurpose": "assertionMethod",
            "@context": document["@context"] ?? .null, "proofValue": .string(seal.proofValue),
        ]
        return IssuedCredential(document: document)
    }
}

/// The credential hash's text form, `sha256:<64 lowercase hex digits>`.
public enum CredentialHash {
    /// `sha256:` and the hex.
    public static func text(_ hash: SHA256.Digest) -> String { "sha256:" + hash.hex }

    /// Parses `sha256:<hex>` (or bare hex).
    public static func parse(_ text: String) -> SHA256.Digest? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// Parses the UTF-8 bytes of `sha256:<hex>` (or bare hex).
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> SHA256.Digest? {
        let prefix: StaticString = "sha256:"
        let count = prefix.utf8CodeUnitCount
        let hasPrefix = bytes.count >= count && (0..<count).allSatisfy { bytes[$0] == prefix.utf8Start[$0] }
        return SHA256.Digest(hexUTF8: hasPrefix ? UnsafeBufferPointer(rebasing: bytes[count...]) : bytes)
    }
}
