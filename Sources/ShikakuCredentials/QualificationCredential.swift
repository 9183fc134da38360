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

    /// The `@context` of every credential Shikaku issues, which its proof copies.
    static let contexts: JSONValue = [.string(baseContext), .string(shikakuContext)]
    // The credential's lists of names, made once rather than for every credential issued.
    private static let contextNames = [baseContext, shikakuContext]
    private static let typeNames = ["VerifiableCredential", type]

    /// A credential without its proof, in canonical form, and where its proof goes.
    struct Unsigned {
        /// The canonical form.
        let canonical: [UInt8]
        /// Where the `proof` member goes in ``canonical``: after `issuer`, before `type`.
        let proofPosition: Int

        /// The canonical form of the credential with `proof`, itself in canonical form.
        func adding(proof: [UInt8]) -> [UInt8] {
            CanonicalObjectWriter.splicing("proof", canonical: proof, into: canonical, at: proofPosition)
        }

        /// The credential signed with the proof `sign` makes from this form's hash: its canonical form and
        /// hash. Both forms start with the members before the proof, which are hashed once for the two.
        func signed(
            _ sign: (SHA256.Digest) throws(CredentialError) -> [UInt8]
        ) throws(CredentialError) -> (canonical: [UInt8], hash: SHA256.Digest) {
            var start = SHA256.Hasher()
            start.update(canonical[..<proofPosition])
            var unsigned = start.copy()
            unsigned.update(canonical[proofPosition...])
            let whole = adding(proof: try sign(unsigned.finalize()))
            start.update(whole[proofPosition...])
            return (whole, start.finalize())
        }
    }

    /// The unsigned credential, written straight in canonical form (its members by name, as RFC 8785
    /// orders them): a batch issues one for every row, and building a tree to sort would cost more than
    /// writing it.
    /// - Parameters:
    ///   - id: A random UUID (`urn:uuid:` is prefixed).
    static func unsigned(_ content: Content, issuer: IssuerName, site: PublicationSite, id: String) -> Unsigned {
        let registration = content.registration
        let holder = registration.holder
        let qualification = content.qualification
        var document = CanonicalObjectWriter(capacity: 2048)
        document.strings("@context", contextNames)
        document.objects("credentialStatus", count: StatusPurpose.allCases.count) { index, entry in
            let purpose = StatusPurpose.allCases[index]
            let list = site.statusListURL(authority: issuer.authorityID, purpose: purpose, list: content.slot.list)
            let index = String(content.slot.index)
            entry.string("id", list, "#", index)
            entry.string("statusListCredential", list)
            entry.string("statusListIndex", index)
            entry.string("statusPurpose", purpose.rawValue)
            entry.string("type", "BitstringStatusListEntry")
        }
        document.object("credentialSubject") { subject in
            holder.birthDate.withISO { subject.string("birthDate", plain: $0) }
            if let former = holder.formerSurname { subject.string("formerSurname", former) }
            subject.string("name", holder.name)
            subject.string("nameKana", holder.nameKana)
            subject.object("qualification") { entry in
                if !registration.additions.isEmpty {
                    entry.objects("additions", count: registration.additions.count) { index, item in
                        let addition = registration.additions[index]
                        item.string("code", addition.code)
                        addition.date.withISO { item.string("date", plain: $0) }
                        item.string("name", qualification.addition(addition.code)?.name ?? addition.code)
                    }
                }
                entry.string("certificate", qualification.certificate)
                entry.integer("certificateSerial", registration.certificateSerial)
                entry.string("code", qualification.code.rawValue)
                entry.string("name", qualification.name)
                if let prefecture = registration.prefecture { entry.string("prefecture", prefecture.name) }
                entry.string("register", qualification.register)
                registration.registeredOn.withISO { entry.string("registrationDate", plain: $0) }
                entry.string("registrationNumber", registration.id.number)
                entry.string("type", "NationalQualification")
            }
            subject.string("type", "QualifiedPerson")
        }
        document.string("id", "urn:uuid:" + id)
        document.object("issuer") { name in
            name.string("id", issuer.did)
            name.string("name", issuer.name)
        }
        let proofPosition = document.count
        document.strings("type", typeNames)
        Timestamp(startOfDayInJapan: content.effectiveDate).withISO { document.string("validFrom", plain: $0) }
        if let card = registration.card {
            let end = Timestamp(secondsSinceEpoch: Timestamp(startOfDayInJapan: card.upperBound.adding(days: 1)).secondsSinceEpoch - 1)
            end.withISO { document.string("validUntil", plain: $0) }
        }
        return Unsigned(canonical: document.finish(), proofPosition: proofPosition)
    }

    /// The top-level members of a credential in the order people read them (VC 2.0's examples'), rather
    /// than the canonical order its bytes have.
    private static let readingOrder = [
        "@context", "id", "type", "issuer", "validFrom", "validUntil", "credentialSubject", "credentialStatus", "proof",
    ]

    /// A credential written by ``unsigned(_:issuer:site:id:)``, signed, as an object whose top-level members
    /// are in reading order.
    static func document(reading canonical: [UInt8]) -> JSONObject {
        guard case .object(let parsed)? = try? JSONValue.parse(canonical) else {
            preconditionFailure("a credential written here does not parse")
        }
        var document: JSONObject = [:]
        for name in readingOrder { if let value = parsed[name] { document[name] = value } }
        return document
    }

    /// The version-4 UUID made of 16 random bytes, as `urn:uuid:` identifiers use.
    static func uuid(_ random: ArraySlice<UInt8>) -> String {
        precondition(random.count == 16, "a UUID takes 16 bytes")
        // Written straight into the string: one is made for every credential issued.
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for (index, drawn) in random.enumerated() {
                // The version (4) and the variant (RFC 9562's) take the top bits of bytes 6 and 8.
                let byte = index == 6 ? drawn & 0x0F | 0x40 : index == 8 ? drawn & 0x3F | 0x80 : drawn
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
///
/// A value in one immutable box: a batch passes each credential it issues from the worker to the commit and
/// the row's result, and member by member each copy would retain its bytes and its seal's strings.
public struct IssuedCredential: Sendable {
    /// The credential as read, or as issued or rebuilt from its seal (whose tree is built only when asked for).
    private enum Form: Sendable {
        case document(JSONObject)
        case sealed(Seal)
    }

    private final class Box: Sendable {
        let form: Form
        let canonical: [UInt8]
        let hash: SHA256.Digest

        init(form: Form, canonical: [UInt8], hash: SHA256.Digest) {
            self.form = form
            self.canonical = canonical
            self.hash = hash
        }
    }

    private let box: Box
    private var form: Form { box.form }
    /// Its RFC 8785 canonical form.
    public var canonical: [UInt8] { box.canonical }
    /// SHA-256 of ``canonical``: what an employer may hold instead of the credential.
    public var hash: SHA256.Digest { box.hash }

    /// Wraps a secured credential.
    public init(document: JSONObject) {
        let canonical = JSONValue.object(document).canonicalBytes
        box = Box(form: .document(document), canonical: canonical, hash: SHA256.hash(canonical))
    }

    /// Wraps a credential issued here, in canonical form with its hash, and the seal it was signed under.
    init(canonical: [UInt8], hash: SHA256.Digest, seal: Seal) {
        box = Box(form: .sealed(seal), canonical: canonical, hash: hash)
    }

    /// The secured credential.
    public var document: JSONObject {
        switch form {
        case .document(let document): document
        case .sealed: QualificationCredential.document(reading: canonical)
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
        case .sealed(let seal): return seal
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
        let name = QualificationCredential.IssuerName(authorityID: issuer.authorityID, name: issuer.name, did: issuer.did)
        let id = try active.randomUUID()
        let unsigned = QualificationCredential.unsigned(content, issuer: name, site: site, id: id)
        let options = DataIntegrity.Options(created: time.iso, verificationMethod: issuer.verificationMethod)
        var proofValue = ""
        let signed = try unsigned.signed { (hash) throws(CredentialError) in
            let proof = try DataIntegrity.proof(signing: hash, context: QualificationCredential.contexts, options: options, signer: active)
            proofValue = proof.value
            return proof.canonical
        }
        return IssuedCredential(canonical: signed.canonical, hash: signed.hash, seal: Seal(id: id, created: time, proofValue: proofValue))
    }

    /// Rebuilds a credential issued before from its content, issuer and seal, with no key.
    public static func reassemble(
        _ content: QualificationCredential.Content, issuer: QualificationCredential.IssuerName, site: PublicationSite, seal: Seal
    ) -> IssuedCredential {
        let unsigned = QualificationCredential.unsigned(content, issuer: issuer, site: site, id: seal.id)
        let method = issuer.did + "#" + issuer.did.dropFirst("did:key:".count)
        var proof = DataIntegrity.proofOptions(
            DataIntegrity.Options(created: seal.created.iso, verificationMethod: method), context: QualificationCredential.contexts)
        proof["proofValue"] = .string(seal.proofValue)
        let canonical = unsigned.adding(proof: JSONValue.object(proof).canonicalBytes)
        return IssuedCredential(canonical: canonical, hash: SHA256.hash(canonical), seal: seal)
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
