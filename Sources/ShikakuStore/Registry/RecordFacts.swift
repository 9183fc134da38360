import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// What the indexes and the Merkle log need of a journal record: its leaf's facts and the keys it
/// files under, without the holder's details.
///
/// Opening, rebuilding and replaying read these straight from the record's bytes
/// (``init(payload:path:offset:)``), skipping the event's body, since decoding every record whole
/// costs several times more; the audit checks that they agree with the whole record.
struct RecordFacts: Equatable, Sendable {
    let time: Timestamp
    let authority: String
    let body: Body

    enum Body: Equatable, Sendable {
        case registration(Registration)
        case key(did: String)
    }

    struct Registration: Equatable, Sendable {
        let id: RegistrationID
        /// The registration's index key (``RegistrationKey``), which a facts block holds as it is.
        let key: UInt64?
        let eventKind: String
        let disposition: DispositionKind?
        let holderKey: HolderKey?
        let credential: Credential?
        let supersedes: Credential?
        let request: SHA256.Digest?
    }

    /// An issued or ended credential: where its status bits are.
    struct Credential: Equatable, Sendable {
        let hash: SHA256.Digest
        let serial: Int
        let authority: String
        let slot: StatusSlot
    }

    var registration: Registration? {
        if case .registration(let registration) = body { return registration }
        return nil
    }

    init(time: Timestamp, authority: String, body: Body) {
        self.time = time
        self.authority = authority
        self.body = body
    }

    /// The facts of a whole entry.
    init(_ entry: JournalEntry) {
        time = entry.time
        authority = entry.authority
        switch entry.body {
        case .key(let did): body = .key(did: did)
        case .registration(let change):
            var disposition: DispositionKind?
            var holderKey: HolderKey?
            switch change.event {
            case .register(let registering): holderKey = registering.holderKey
            case .dispose(let event): disposition = event.kind
            default: break
            }
            body = .registration(
                Registration(
                    id: change.id, key: RegistrationKey.encode(change.id), eventKind: change.event.kind, disposition: disposition, holderKey: holderKey,
                    credential: change.credential.map(Credential.init), supersedes: change.supersedes.map(Credential.init),
                    request: change.request))
        }
    }

    /// Reads the facts from a record's payload.
    /// - Throws: `store.damaged` (or `store.foreign-file` for another version) naming the offset.
    init(payload: [UInt8], path: String, offset: Int64) throws(StoreError) {
        let read = payload.withUnsafeBufferPointer { bytes in
            Result { () throws(StoreError) in try RecordFacts(payload: bytes, path: path, offset: offset) }
        }
        self = try read.get()
    }

    /// Reads the facts from a record's payload in place: from its ``FactsBlock``, or from its JSON when it
    /// was written without one.
    /// - Throws: `store.damaged` (or `store.foreign-file` for another version) naming the offset.
    init(payload: UnsafeBufferPointer<UInt8>, path: String, offset: Int64) throws(StoreError) {
        do {
            if let facts = try FactsBlock.facts(in: payload) {
                self = facts
                return
            }
        } catch {
            throw StoreError(error.code, error.message, path: path, offset: offset)
        }
        var scan = Scan()
        do {
            try JSONScanner.scan(payload) { scanner in try scan.record(&scanner) }
            guard scan.version == 1 else {
                throw StoreError(.foreignFile, "journal record of an unknown version", path: path, offset: offset)
            }
            guard let time = scan.time, let authority = scan.authority else { throw scan.missing("time or authority") }
            self.time = time
            self.authority = authority
            switch scan.kind {
            case "registration":
                guard let id = scan.id, let eventKind = scan.eventKind, RegistrationEvent.kinds.contains(eventKind),
                    (eventKind == "register") == (scan.holderKey != nil), (eventKind == "dispose") == (scan.disposition != nil)
                else { throw scan.missing("a registration or its event") }
                body = .registration(
                    Registration(
                        id: id, key: RegistrationKey.encode(id), eventKind: eventKind, disposition: scan.disposition, holderKey: scan.holderKey,
                        credential: scan.credential, supersedes: scan.supersedes, request: scan.request))
            case "key":
                guard let did = scan.did else { throw scan.missing("did") }
                body = .key(did: did)
            default:
                throw StoreError(.damaged, "journal record of unknown kind \(scan.kind ?? "(none)")", path: path, offset: offset)
            }
        } catch let error as StoreError {
            throw StoreError(error.code, error.message, path: path, offset: offset)
        } catch {
            throw StoreError(.damaged, "a journal record does not decode: \(error)", path: path, offset: offset)
        }
    }

    /// The Merkle leaf: canonical JSON of the event's kind, the authority, the qualification, the
    /// credential's hash and status slot, and the time. No names, numbers or dates of birth: a public log
    /// cannot be erased.
    func leaf(sequence: UInt64) -> [UInt8] { writeLeaf(sequence: sequence).finish() }

    /// The hash of the Merkle leaf, made without an array for the leaf: a rebuild hashes one for every record.
    func leafHash(sequence: UInt64) -> SHA256.Digest {
        var hash = Merkle.emptyRoot
        writeLeaf(sequence: sequence).finish { hash = Merkle.leafHash(UnsafeRawBufferPointer($0)) }
        return hash
    }

    private func writeLeaf(sequence: UInt64) -> CanonicalObjectWriter {
        // Written member by member in canonical order.
        var leaf = CanonicalObjectWriter()
        leaf.string("authority", authority)
        let registration = registration
        if let credential = registration?.credential { credential.hash.withHex(prefix: "sha256:") { leaf.string("credential", plain: $0) } }
        if case .key(let did) = body { leaf.string("did", did) }
        if let disposition = registration?.disposition { leaf.string("disposition", disposition.rawValue) }
        if let registration { leaf.string("qualification", registration.id.qualification.rawValue) }
        leaf.integer("seq", Int(sequence))
        if let slot = registration?.credential?.slot { leaf.integers("slot", slot.list, slot.index) }
        if let old = registration?.supersedes { old.hash.withHex(prefix: "sha256:") { leaf.string("supersedes", plain: $0) } }
        time.withISO { leaf.string("time", plain: $0) }
        leaf.string("type", registration?.eventKind ?? "key")
        leaf.integer("v", 1)
        return leaf
    }
}

extension RecordFacts.Credential {
    init(_ record: CredentialRecord) {
        self.init(hash: record.hash, serial: record.serial, authority: record.authority, slot: record.slot)
    }
}

/// The members of a record as the scan meets them (canonical JSON has them in name order).
private struct Scan {
    var version: Int?
    var time: Timestamp?
    var authority: String?
    var kind: String?
    var id: RegistrationID?
    var did: String?
    var eventKind: String?
    var disposition: DispositionKind?
    var holderKey: HolderKey?
    var credential: RecordFacts.Credential?
    var supersedes: RecordFacts.Credential?
    var request: SHA256.Digest?

    func missing(_ what: String) -> StoreError { StoreError(.damaged, "a journal record lacks \(what)") }

    mutating func record(_ scanner: inout JSONScanner) throws {
        try scanner.members { key, value in
            switch key {
            case "v": version = try value.int()
            case "time": time = try Timestamp(iso: try value.string())
            case "authority": authority = try value.string()
            case "kind": kind = try value.string()
            case "did": did = try value.string()
            case "registration": id = try RegistrationID(parsing: try value.string())
            case "event": try event(&value)
            case "credential": credential = try Scan.credential(&value)
            case "supersedes": supersedes = try Scan.credential(&value)
            case "request":
                guard let digest = try Scan.digest(&value) else { throw missing("a request key of 64 hex digits") }
                request = digest
            default: break
            }
        }
    }

    private mutating func event(_ scanner: inout JSONScanner) throws {
        try scanner.members { key, value in
            switch key {
            case "kind": eventKind = try value.string()
            case "holderKey":
                guard let digest = try Scan.digest(&value) else { throw missing("a holder key of 64 hex digits") }
                holderKey = HolderKey(digest: digest)
            case "disposition":
                guard let kind = DispositionKind(rawValue: try value.string()) else { throw missing("a known disposition") }
                disposition = kind
            default: break
            }
        }
    }

    /// A string of 64 hex digits, read without making a String.
    private static func digest(_ scanner: inout JSONScanner) throws -> SHA256.Digest? {
        var digest: SHA256.Digest?
        try scanner.withString { digest = SHA256.Digest(hexUTF8: $0) }
        return digest
    }

    private static func credential(_ scanner: inout JSONScanner) throws -> RecordFacts.Credential? {
        if try scanner.null() { return nil }
        var hash: SHA256.Digest?
        var serial: Int?
        var authority: String?
        var slot: (list: Int?, index: Int?, extra: Bool) = (nil, nil, false)
        try scanner.members { key, value in
            switch key {
            case "hash": try value.withString { hash = CredentialHash.parse(utf8: $0) }
            case "serial": serial = try value.int()
            case "authority": authority = try value.string()
            case "slot":
                try value.elements { element in
                    if slot.list == nil { slot.list = try element.int() } else if slot.index == nil { slot.index = try element.int() } else { slot.extra = true }
                }
            default: break
            }
        }
        guard let hash, let serial, let authority, let list = slot.list, let index = slot.index, !slot.extra else {
            throw StoreError(.damaged, "a journal record's credential lacks its hash, serial, authority or [list, index] slot")
        }
        return RecordFacts.Credential(hash: hash, serial: serial, authority: authority, slot: StatusSlot(list: list, index: index))
    }
}
