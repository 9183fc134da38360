import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// One journal record's content: who did what, when, and the credential it issued.
///
/// Stored as RFC 8785 canonical JSON, readable with any JSON tool once the record's binary blocks (``FactsBlock``,
/// and the ``StateBlock`` after it) are skipped:
///
///     {"v": 1, "time": "…Z", "authority": "mhlw", "kind": "registration",
///      "registration": "physician:0000001", "previous": <offset of the registration's previous record> | null,
///      "event": {…}, "credential": {"hash", "serial", "authority", "did", "slot": [list, index], "id", "created",
///      "proofValue", "effective"} | null, "supersedes": {"hash", "authority", "slot"} | null}
///     {"v": 1, "time", "authority", "kind": "key", "did": "did:key:…"}
///
/// The Merkle log's leaf for a record is ``leaf(sequence:)``: the same facts without any personal data.
public struct JournalEntry: Sendable {
    /// When it was recorded.
    public let time: Timestamp
    /// The authority that acted.
    public let authority: String
    /// What happened.
    public let body: Body

    /// What a record holds.
    public enum Body: Sendable {
        /// An event of a registration.
        // Boxed: entries are copied often (read into histories, handed between threads), a change has many parts.
        indirect case registration(RegistrationChange)
        /// An authority's new signing key (at creation or rotation).
        case key(did: String)
    }

    /// Creates an entry.
    public init(time: Timestamp, authority: String, body: Body) {
        self.time = time
        self.authority = authority
        self.body = body
    }

    /// The entry's registration change, if it is one.
    public var change: RegistrationChange? {
        if case .registration(let change) = body { return change }
        return nil
    }

    /// The canonical bytes the journal stores, written member by member in canonical order: every record
    /// written is encoded here.
    public var payload: [UInt8] {
        // A registration's first record, holder and evidence in it, runs past 1 KiB.
        var record = CanonicalObjectWriter(capacity: 2048)
        record.string("authority", authority)
        switch body {
        case .registration(let change):
            if let credential = change.credential { credential.write("credential", into: &record) } else { record.null("credential") }
            record.object("event") { change.event.write(into: &$0) }
            record.string("kind", "registration")
            if let previous = change.previous { record.integer("previous", Int(previous)) } else { record.null("previous") }
            record.string("registration", change.id.qualification.rawValue, ":", change.id.number)
            if let request = change.request { request.withHex { record.string("request", plain: $0) } }
            if let ended = change.supersedes { ended.write("supersedes", into: &record) } else { record.null("supersedes") }
        case .key(let did):
            record.string("did", did)
            record.string("kind", "key")
        }
        time.withISO { record.string("time", plain: $0) }
        record.integer("v", 1)
        return record.finish()
    }

    /// Reads a record's payload: its JSON, after the facts block if it has one. Member by member, with no
    /// tree: reading a registration decodes every record of its history. (The audit checks that each record
    /// is exactly what encoding the entry read from it gives.)
    /// - Throws: `store.damaged` when it does not decode, naming the offset.
    public init(payload: [UInt8], path: String, offset: Int64) throws(StoreError) {
        do {
            var version: Int?, time: Timestamp?, authority: String?, kind: String?, id: RegistrationID?, previous: Int64?
            var event: RegistrationEvent?, credential: CredentialRecord?, supersedes: CredentialRecord?, request: SHA256.Digest?
            var did: String?
            try FactsBlock.json(in: payload).withUnsafeBufferPointer { json in
                try JSONScanner.scan(json) { scanner in
                    try scanner.members { member, scanner in
                        switch member {
                        case "v": version = try scanner.int()
                        case "time": time = try Timestamp(iso: try scanner.string())
                        case "authority": authority = try scanner.string()
                        case "kind": kind = try scanner.string()
                        case "registration": id = try RegistrationID(parsing: try scanner.string())
                        case "previous": previous = try scanner.optionalInt().map(Int64.init)
                        case "event": event = try RegistrationEvent(scanning: &scanner)
                        case "credential": if try !scanner.null() { credential = try CredentialRecord(scanning: &scanner, path: "credential") }
                        case "supersedes": if try !scanner.null() { supersedes = try CredentialRecord(scanning: &scanner, path: "supersedes") }
                        case "request":
                            let text = try scanner.string()
                            guard let digest = SHA256.Digest(hex: text) else { throw StoreError(.damaged, "a request key is not 64 hex digits") }
                            request = digest
                        case "did": did = try scanner.string()
                        default: break
                        }
                    }
                }
            }
            guard try JSONScanner.required(version, "v") == 1 else {
                throw StoreError(.foreignFile, "journal record of an unknown version", path: path, offset: offset)
            }
            let body: Body
            switch try JSONScanner.required(kind, "kind") {
            case "registration":
                body = .registration(
                    RegistrationChange(
                        id: try JSONScanner.required(id, "registration"), previous: previous, event: try JSONScanner.required(event, "event"),
                        credential: credential, supersedes: supersedes, request: request))
            case "key":
                body = .key(did: try JSONScanner.required(did, "did"))
            case let other:
                throw StoreError(.damaged, "journal record of unknown kind \(other)", path: path, offset: offset)
            }
            self.init(time: try JSONScanner.required(time, "time"), authority: try JSONScanner.required(authority, "authority"), body: body)
        } catch let error as StoreError {
            throw StoreError(error.code, error.message, path: path, offset: offset)
        } catch {
            throw StoreError(.damaged, "a journal record does not decode: \(error)", path: path, offset: offset)
        }
    }

    /// The Merkle leaf: the record's facts without any personal data (see ``RecordFacts``).
    public func leaf(sequence: UInt64) -> [UInt8] { RecordFacts(self).leaf(sequence: sequence) }
}

/// A registration's event as recorded, with what the registry did for it.
public struct RegistrationChange: Sendable {
    /// The registration.
    public let id: RegistrationID
    /// The journal offset of the registration's previous record, so history is a chain.
    public let previous: Int64?
    /// The event.
    public let event: RegistrationEvent
    /// The credential this event issued, if it issued one.
    public let credential: CredentialRecord?
    /// The credential this event replaced or ended (its revocation bit is set).
    public let supersedes: CredentialRecord?
    /// The key of the batch row that asked for it, so that running the row again writes nothing.
    public let request: SHA256.Digest?

    /// Creates a change.
    public init(
        id: RegistrationID, previous: Int64?, event: RegistrationEvent, credential: CredentialRecord?, supersedes: CredentialRecord?,
        request: SHA256.Digest? = nil
    ) {
        self.id = id
        self.previous = previous
        self.event = event
        self.credential = credential
        self.supersedes = supersedes
        self.request = request
    }
}

/// What the registry keeps of an issued credential: enough to find its status bits and to rebuild
/// it byte for byte.
///
/// A value in one immutable box: a renewal copies the current credential's record at every step (read, kept
/// in the batch, chained, written), and member by member each copy would retain four strings.
public struct CredentialRecord: Sendable, Hashable, CustomReflectable {
    private let box: Box

    /// SHA-256 of the credential's canonical form.
    public var hash: SHA256.Digest { box.fields.hash }
    /// The certificate serial it carries.
    public var serial: Int { box.fields.serial }
    /// The authority whose status lists hold its bits.
    public var authority: String { box.fields.authority }
    /// The slot in those lists.
    public var slot: StatusSlot { box.fields.slot }
    /// The signing key's did:key, the UUID, the proof time and value; absent in `supersedes` records.
    public var did: String? { box.fields.did }
    /// See ``did``.
    public var seal: IssuedCredential.Seal? { box.fields.seal }
    /// The day the certificate took effect (its validFrom).
    public var effective: CalendarDate? { box.fields.effective }

    /// Creates a record.
    public init(
        hash: SHA256.Digest, serial: Int, authority: String, slot: StatusSlot, did: String?, seal: IssuedCredential.Seal?,
        effective: CalendarDate?
    ) {
        box = Box(Fields(hash: hash, serial: serial, authority: authority, slot: slot, did: did, seal: seal, effective: effective))
    }

    public static func == (lhs: CredentialRecord, rhs: CredentialRecord) -> Bool { lhs.box === rhs.box || lhs.box.fields == rhs.box.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(box.fields) }

    /// The fields, for `dump` and a failed expectation's message, rather than the box that holds them.
    public var customMirror: Mirror { Mirror(reflecting: box.fields) }

    private struct Fields: Hashable, Sendable {
        let hash: SHA256.Digest
        let serial: Int
        let authority: String
        let slot: StatusSlot
        let did: String?
        let seal: IssuedCredential.Seal?
        let effective: CalendarDate?
    }

    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// The short form kept for a superseded credential.
    public var reference: CredentialRecord {
        CredentialRecord(hash: hash, serial: serial, authority: authority, slot: slot, did: nil, seal: nil, effective: nil)
    }

    /// Writes the record as the journal stores it, the member `name` of `entry`, in canonical form; a reference
    /// (in `supersedes`) has only its hash, serial, authority and slot. In the entry's own bytes: a record
    /// written apart would be allocated, grown and copied in, for every entry.
    func write(_ name: StaticString, into entry: inout CanonicalObjectWriter) {
        entry.object(name) { record in
            record.string("authority", authority)
            if let did, let seal, let effective {
                seal.created.withISO { record.string("created", plain: $0) }
                record.string("did", did)
                effective.withISO { record.string("effective", plain: $0) }
                hash.withHex(prefix: "sha256:") { record.string("hash", plain: $0) }
                record.string("id", seal.id)
                record.string("proofValue", seal.proofValue)
            } else {
                hash.withHex(prefix: "sha256:") { record.string("hash", plain: $0) }
            }
            record.integer("serial", serial)
            record.integers("slot", slot.list, slot.index)
        }
    }

    /// Reads a record written by ``write(_:into:)``, the member `path` of a journal record.
    init(scanning scanner: inout JSONScanner, path: String) throws {
        var hash: SHA256.Digest?, serial: Int?, authority: String?, slot: [Int] = [], did: String?, effective: CalendarDate?
        var id: String?, created: Timestamp?, proofValue: String?
        try scanner.members { member, scanner in
            switch member {
            case "hash":
                let text = try scanner.string()
                guard let digest = CredentialHash.parse(text) else { throw StoreError(.damaged, "\(path).hash is not sha256:<hex>") }
                hash = digest
            case "serial": serial = try scanner.int()
            case "authority": authority = try scanner.string()
            case "slot": try scanner.elements { element in slot.append(try element.int()) }
            case "did": did = try scanner.optionalString()
            case "effective": effective = try scanner.optionalString().map { (text) throws in try CalendarDate(iso: text) }
            case "id": id = try scanner.optionalString()
            case "created": created = try Timestamp(iso: try scanner.string())
            case "proofValue": proofValue = try scanner.string()
            default: break
            }
        }
        guard slot.count == 2 else { throw StoreError(.damaged, "\(path).slot is not [list, index]") }
        let seal = try id.map { (id) throws in
            IssuedCredential.Seal(
                id: id, created: try JSONScanner.required(created, "\(path).created"), proofValue: try JSONScanner.required(proofValue, "\(path).proofValue"))
        }
        self.init(
            hash: try JSONScanner.required(hash, "\(path).hash"), serial: try JSONScanner.required(serial, "\(path).serial"),
            authority: try JSONScanner.required(authority, "\(path).authority"), slot: StatusSlot(list: slot[0], index: slot[1]), did: did,
            seal: seal, effective: effective)
    }
}
