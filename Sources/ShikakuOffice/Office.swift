import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuStore

/// What a licensing office does to its registers: register, amend, renew, report, dispose, reinstate,
/// relicense, reissue, erase — each checked against the law and the registration's state, under the
/// writers' lock, and recorded as events with the credentials they issue.
///
/// Work is done in batches: each operation is checked against the state including the batch so far,
/// and ``commit(_:)`` makes the whole batch durable with one sync and signs one checkpoint over it.
/// Nothing is reported done before that. A long run closes its batch into groups (``closeGroup()``) and
/// commits the oldest while later ones are checked and signed.
public final class Office {
    /// The registry, opened for writing.
    public let registry: Registry
    /// The authority acting.
    public let authority: RegistryConfig.Authority
    private let issuer: Issuer
    private let logKey: Ed25519.PrivateKey
    private let passphrase: SecretBytes
    private var secret: SecretBytes?
    private let clock: @Sendable () -> Timestamp
    /// Registrations changed in the batch being written.
    private var overlay: [RegistrationID: RegistrationRecord] = [:]
    /// Registrations as they stood at the last commit, read ahead by ``prefetch(_:)`` (cleared at each commit).
    private var prefetched: [RegistrationID: RegistrationRecord] = [:]
    /// Registrations made in the batch being written, by holder.
    private var registeredInBatch: [HolderKey: [RegistrationID]] = [:]
    /// Operations in the batch, checked and folded, waiting to be signed and written.
    private var batch: [Operation] = []
    /// Makes the batch's records (signs its credentials) on a worker thread.
    private let ahead = WorkAhead<Piece, Made>(Office.make)
    /// How many of the batch's operations were handed to `ahead`.
    private var handedAhead = 0
    /// Where each piece handed to `ahead` and not yet made ends in the batch.
    private var pieceEnds: [Int] = []
    /// Where each closed group ends in the batch, oldest first.
    private var groupEnds: [Int] = []
    /// Operations of the batch committed by groups before: batch index 0 is operation number `committedBefore`.
    private var committedBefore = 0
    /// The number (`committedBefore` plus its batch index) of each registration's last operation.
    private var lastOperation: [RegistrationID: Int] = [:]
    /// Registrations written by a group with operations still in the batch: the offset of their last entry,
    /// and the credential current after it and where that was issued, to which the later operations chain.
    private var written: [RegistrationID: (offset: Int64, credential: CredentialRecord?, credentialOffset: Int64?)] = [:]
    /// Whether credentials are signed on a worker thread as operations are checked, rather than all at
    /// ``commit(_:)``: for a batch that will commit what it checks (not a dry run), so that signing overlaps
    /// the checking.
    public var signsAhead = false
    /// The next running number of each register (and prefecture) touched.
    private var nextNumbers: [String: UInt64] = [:]

    /// An office acting as `authorityID` (the registry's default when `nil`).
    /// - Parameters:
    ///   - passphrase: Opens the authority's key, the log key and, when a My Number is given, the holder secret.
    ///   - clock: When events are recorded (tests fix it).
    /// - Throws: `input.unknown-authority`; the key files' errors.
    public init(
        registry: Registry, authority authorityID: String?, passphrase: SecretBytes,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) throws {
        let id = authorityID ?? registry.config.defaultAuthority
        guard let authority = registry.config.authority(id) else {
            let known = registry.config.authorities.map(\.id).joined(separator: ", ")
            throw OfficeError(.unknownAuthority, "the registry has no authority \"\(id)\"; it has: \(known)")
        }
        self.registry = registry
        self.authority = authority
        self.passphrase = passphrase
        self.clock = clock
        issuer = try registry.issuer(id, passphrase: passphrase)
        logKey = try registry.logKey(passphrase: passphrase)
    }

    // A batch left uncommitted (a command stopped by an error) must not leave the worker signing as the process exits.
    deinit { ahead.cancel() }

    /// The holder key of a My Number under the registry's secret (opened on first use).
    public func holderKey(_ number: MyNumber) throws -> HolderKey {
        if secret == nil { secret = try registry.holderSecret(passphrase: passphrase) }
        guard let secret else { preconditionFailure("set above") }
        return number.holderKey(secret: secret)
    }

    /// What one operation did, once committed.
    public struct Outcome: Sendable {
        /// The registration.
        public let id: RegistrationID
        /// The event's kind.
        public let kind: String
        /// The event's index in the log.
        public let sequence: UInt64
        /// The credential it issued, if any.
        public let credential: IssuedCredential?
        /// The batch row key it was recorded under, if any.
        public let request: SHA256.Digest?
    }

    /// An operation checked and folded, waiting to be signed and written. A class: the batch hands its
    /// operations to the worker and walks them at commit, and a struct this size would be retained and
    /// released member by member at every copy.
    final class Operation: Sendable {
        let id: RegistrationID
        let event: RegistrationEvent
        let time: Timestamp
        let content: QualificationCredential.Content?
        let ended: CredentialRecord?
        let request: SHA256.Digest?
        /// The journal offset of the registration's latest record when it was read from the registry, if it has one.
        let lastOffset: Int64?
        /// Whether no earlier operation on the registration is pending in the batch (in any group), so that its
        /// entry chains to `lastOffset` and can be encoded before the batch is written.
        let firstInBatch: Bool
        /// The registration after the operation, and the authority whose register it is: with the current
        /// credential, what its record's state block holds.
        let state: Registration
        let owner: String
        /// The credential current before the operation and the offset of the record that issued it, as checked
        /// against (for an operation not first in the batch, the batch's own entries say instead).
        let kept: Kept
        typealias Kept = (credential: CredentialRecord?, offset: Int64?)

        init(
            id: RegistrationID, event: RegistrationEvent, time: Timestamp, content: QualificationCredential.Content?, ended: CredentialRecord?,
            request: SHA256.Digest?, lastOffset: Int64?, firstInBatch: Bool, state: Registration, owner: String, kept: Kept
        ) {
            self.id = id
            self.event = event
            self.time = time
            self.content = content
            self.ended = ended
            self.request = request
            self.lastOffset = lastOffset
            self.firstInBatch = firstInBatch
            self.state = state
            self.owner = owner
            self.kept = kept
        }

        /// The registration as its record leaves it: the state after the operation, and the credential the record
        /// issues, or else the one `kept` from before.
        func after(issuing issued: CredentialRecord?, kept: Kept) -> RegistrationRecord {
            RegistrationRecord(
                registration: state, authority: owner, credential: issued ?? kept.credential, credentialOffset: issued == nil ? kept.offset : nil,
                lastOffset: nil)
        }

        /// The registry's record of the credential this operation issued.
        func credentialRecord(_ signed: IssuedCredential, issuer: Issuer) -> CredentialRecord {
            CredentialRecord(
                hash: signed.hash, serial: content?.registration.certificateSerial ?? 0, authority: issuer.authorityID,
                slot: content?.slot ?? StatusSlot(list: 1, index: 0), did: issuer.did, seal: signed.seal,
                effective: content?.effectiveDate)
        }
    }

    // MARK: Operations

    /// Registers a holder. The number is the register's next; the authority's prefecture is the register's.
    /// The registration is written at ``commit(_:)``.
    /// - Parameter request: A batch row's key, so that running the row again is recognised.
    /// - Returns: The new registration's name.
    /// - Throws: `rule.authority-not-entitled`, the life cycle's refusals, storage errors.
    @discardableResult
    public func register(
        _ code: QualificationCode, holder: HolderKey, person: Holder, evidence: RegistrationEvidence, on date: CalendarDate,
        request: SHA256.Digest? = nil
    ) throws -> RegistrationID {
        let qualification = try Catalog.qualification(code)
        try checkEntitled(qualification)
        let id = RegistrationID(
            qualification: code, number: qualification.registrationNumber.format(sequence: Int(try nextNumber(qualification)), prefecture: authority.prefecture))
        let event = RegistrationEvent.register(
            Registering(id: id, holderKey: holder, holder: person, evidence: evidence, prefecture: authority.prefecture, date: date))
        try checkHappened(event)
        let others = try holderRegistrations(holder)
        try LifeCycle.check(event, against: nil, qualification: qualification, holderRegistrations: others)
        try record(event, for: id, current: nil, qualification: qualification, request: request)
        nextNumbers[numberKey(qualification)] = (nextNumbers[numberKey(qualification)] ?? 1) + 1
        return id
    }

    /// Records any event but a registration on registration `id`, to be written at ``commit(_:)``.
    /// - Throws: `input.unknown-registration`, `rule.authority-not-entitled`, the life cycle's refusals.
    public func change(_ id: RegistrationID, _ event: RegistrationEvent, request: SHA256.Digest? = nil) throws {
        precondition(event.kind != "register", "use register(_:holder:person:evidence:on:)")
        let qualification = try Catalog.qualification(id.qualification)
        let current = try existing(id)
        try checkEntitled(qualification)
        try checkHappened(event)
        guard current.authority == authority.id else {
            let owner = registry.config.authority(current.authority)?.name ?? current.authority
            throw OfficeError(.authorityNotEntitled, "\(id) is in the register of \(owner); \(authority.name) cannot change it")
        }
        try LifeCycle.check(event, against: current.registration, qualification: qualification, holderRegistrations: [])
        try record(event, for: id, current: current, qualification: qualification, request: request)
    }

    /// The registration as it stands, including this batch, which must exist.
    /// - Throws: `input.unknown-registration`.
    public func existing(_ id: RegistrationID) throws -> RegistrationRecord {
        guard let record = try current(id) else {
            throw OfficeError(.unknownRegistration, "the registry has no registration \(id); `shikaku find` lists a holder's registrations")
        }
        return record
    }

    /// The registration as it stands, including this batch.
    public func current(_ id: RegistrationID) throws -> RegistrationRecord? {
        if let pending = overlay[id] { return pending }
        if let read = prefetched[id] { return read }
        return try registry.record(of: id)
    }

    /// Reads the registrations `ids` on every core, ahead of the events about to be checked on them one by one:
    /// decoding and folding a history is most of the work of a change. One that cannot be read is left for
    /// ``current(_:)`` to read, and to report.
    public func prefetch(_ ids: [RegistrationID]) {
        let wanted = Array(Set(ids.filter { overlay[$0] == nil && prefetched[$0] == nil }))
        guard !wanted.isEmpty else { return }
        let registry = UncheckedRegistry(registry: self.registry)
        // Reading only: between commits nothing changes the registry's journal or indexes.
        let records = ParallelChunks.map(count: wanted.count, chunk: 64) { range in
            range.map { try? registry.registry.record(of: wanted[$0]) }
        }
        prefetched.reserveCapacity(prefetched.count + wanted.count)
        for (id, record) in zip(wanted, records) where record != nil { prefetched[id] = record }
    }

    /// What ``commit(_:)`` commits.
    public enum CommitScope: Sendable {
        /// Every operation of the batch.
        case all
        /// The oldest closed group (see ``closeGroup()``), if there is one; later operations stay, and go on
        /// being signed.
        case oldestGroup
    }

    /// Ends the group of operations recorded since the last one closed (if there are any), so that
    /// ``commit(_:)`` can commit it (`.oldestGroup`) while later groups are checked and signed.
    public func closeGroup() {
        guard batch.count > groupEnds.last ?? 0 else { return }
        handAhead(minimum: 1)  // so that no piece reaches into the next group
        groupEnds.append(batch.count)
    }

    /// Signs the credentials of the batch or of its oldest group (on every core), writes them with one sync,
    /// and signs a checkpoint over them.
    /// - Returns: What each operation did, in order.
    /// - Throws: signing and storage errors, after which none of the operations being committed counts, and
    ///   the later groups are dropped (earlier groups, committed before, count); or
    ///   `store.checkpoint-not-signed`, carrying the outcomes of operations that were made durable and count,
    ///   when no checkpoint could be signed over them (the registry is then poisoned for this process).
    @discardableResult
    public func commit(_ scope: CommitScope = .all) throws -> [Outcome] {
        let count: Int
        switch scope {
        case .all:
            count = batch.count
        case .oldestGroup:
            guard let end = groupEnds.first else { return [] }
            count = end
        }
        let outcomes: [Outcome]
        do {
            outcomes = try write(made(through: count), count: count)
            try registry.commit()
        } catch {
            discard()
            throw error
        }
        endGroup(through: count)
        do {
            try registry.signCheckpoint(with: logKey)
        } catch {
            throw OfficeError(
                .checkpointNotSigned,
                "what was committed was written and synced (the log holds \(registry.size) entries) and counts, but no checkpoint "
                    + "could be signed over it: \(error). The next command that writes signs one", committed: outcomes)
        }
        return outcomes
    }

    /// ``commit(_:)`` for callers that report what counts before any error: the outcomes of durable operations
    /// come back beside the error of signing their checkpoint, if there was one.
    /// - Throws: What ``commit(_:)`` throws before the operations are durable.
    public func commitKeepingOutcomes(_ scope: CommitScope = .all) throws -> (outcomes: [Outcome], unsigned: OfficeError?) {
        do {
            return (try commit(scope), nil)
        } catch let error as OfficeError where error.code == .checkpointNotSigned {
            return (error.committed, error)
        }
    }

    /// Drops the batch, every group of it.
    public func discard() {
        registry.discardBatch()
        endGroup(through: batch.count)
        nextNumbers.removeAll()
    }

    /// Forgets the first `count` operations, written or dropped, and what only they needed.
    private func endGroup(through count: Int) {
        if count == batch.count {
            ahead.cancel()
            pieceEnds.removeAll()
            groupEnds.removeAll()
            handedAhead = 0
            // The next batch is likely as large: its tables keep their room.
            batch.removeAll(keepingCapacity: true)
            overlay.removeAll(keepingCapacity: true)
            prefetched.removeAll(keepingCapacity: true)
            lastOperation.removeAll(keepingCapacity: true)
            written.removeAll(keepingCapacity: true)
            registeredInBatch.removeAll()
            committedBefore = 0
            return
        }
        // A registration with no operation left is in the registry as it now stands. (Read by index: a copy of
        // each operation would retain and release every part of it.)
        let end = committedBefore + count
        for index in 0..<count {
            let id = batch[index].id
            guard let last = lastOperation[id], last < end else { continue }
            overlay[id] = nil
            written[id] = nil
            lastOperation[id] = nil
        }
        committedBefore = end
        registeredInBatch = registeredInBatch.compactMapValues { ids in
            let pending = ids.filter { overlay[$0] != nil }
            return pending.isEmpty ? nil : pending
        }
        // Read ahead for operations now checked: whatever the group changed is stale.
        prefetched.removeAll(keepingCapacity: true)
        batch.removeFirst(count)
        handedAhead -= count
        pieceEnds = pieceEnds.map { $0 - count }
        groupEnds = groupEnds.dropFirst().map { $0 - count }
    }

    /// What making an operation's record gives: its credential, signed, and its journal entry, encoded (both
    /// need nothing of the registry, so they are made on every core), unless the entry chains to an earlier
    /// entry of the same batch: that one is encoded once the offset it chains to is known.
    struct Made: Sendable {
        let credential: Result<IssuedCredential, CredentialError>?
        let entry: PreparedEntry?
    }

    /// What making a batch's records needs besides the operations: who signs, where lists are published,
    /// and the log's place for the operation at batch index 0 when the piece was handed over (which indices
    /// keep: a group committed takes as many places as it shifts the batch by).
    struct Making: Sendable {
        let issuer: Issuer
        let site: PublicationSite
        let firstSequence: UInt64
    }

    private var making: Making {
        Making(issuer: issuer, site: registry.config.site, firstSequence: registry.nextSequence)
    }

    /// A run of the batch's operations to make together, with one signer: setting a signer up costs a fair
    /// part of a signature.
    struct Piece: Sendable {
        let operations: [Operation]
        /// The batch index of the first.
        let first: Int
        let making: Making
    }

    private static let pieceSize = 64

    /// Hands the operations not yet handed to the worker over in pieces, while at least `minimum` wait.
    private func handAhead(minimum: Int) {
        while batch.count - handedAhead >= minimum, handedAhead < batch.count {
            let end = min(batch.count, handedAhead + Office.pieceSize)
            ahead.submit(Piece(operations: Array(batch[handedAhead..<end]), first: handedAhead, making: making))
            pieceEnds.append(end)
            handedAhead = end
        }
    }

    /// Makes the records of the batch's first `count` operations (a whole number of pieces): what the worker
    /// has not made yet, on every core.
    private func made(through count: Int) -> [Made] {
        guard count > 0 else { return [] }
        if handedAhead < count { handAhead(minimum: 1) }
        let pieces = pieceEnds.prefix { $0 <= count }.count
        precondition(pieces > 0 && pieceEnds[pieces - 1] == count, "a piece reaches past the operations committed")
        pieceEnds.removeFirst(pieces)
        return ahead.finish(pieces: pieces)
    }

    /// Signs and encodes a piece of the batch on this thread, with one signer.
    static func make(_ piece: Piece) -> [Made] {
        let making = piece.making
        let issuer = making.issuer
        let signer = Result { () throws(CryptoError) in try ProofSigner(issuer.key) }
        return piece.operations.enumerated().map { offset, operation in
            let index = piece.first + offset
            let credential = operation.content.map { content in
                Result { () throws(CredentialError) in
                    guard case .success(let signer) = signer else {
                        throw CredentialError(.signing, "the credential could not be signed: \(signer)")
                    }
                    return try IssuedCredential.issue(content, issuer: issuer, site: making.site, at: operation.time, signer: signer)
                }
            }
            let signed: IssuedCredential?
            switch credential {
            case .success(let made)?: signed = made
            case .failure?: return Made(credential: credential, entry: nil)  // the commit fails on it
            case nil: signed = nil
            }
            guard operation.firstInBatch else { return Made(credential: credential, entry: nil) }
            let record = signed.map { operation.credentialRecord($0, issuer: issuer) }
            let ended = record != nil || endsCredential(operation.event) ? operation.ended : nil
            let change = RegistrationChange(
                id: operation.id, previous: operation.lastOffset, event: operation.event, credential: record, supersedes: ended,
                request: operation.request)
            let entry = PreparedEntry(
                JournalEntry(time: operation.time, authority: issuer.authorityID, body: .registration(change)),
                sequence: making.firstSequence + UInt64(index), state: operation.after(issuing: record, kept: operation.kept))
            return Made(credential: credential, entry: entry)
        }
    }

    /// Appends the first `count` operations' entries in order, chaining each to its registration's previous
    /// record: an entry made ahead as is, one that chains to an earlier entry of the batch once that entry's
    /// offset is known.
    private func write(_ made: [Made], count: Int) throws -> [Outcome] {
        let credentials = try made.map { try $0.credential?.get() }
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(count)
        let first = registry.nextSequence
        for (index, (operation, issued)) in zip(batch[..<count], credentials).enumerated() {
            let credential = issued.map { operation.credentialRecord($0, issuer: issuer) }
            let before = written[operation.id]
            // A credential issued earlier in this batch is the one a later operation keeps, replaces or ends.
            let kept: Operation.Kept = before.map { ($0.credential, $0.credentialOffset) } ?? operation.kept
            let entry: PreparedEntry
            if let ready = made[index].entry {
                entry = ready
            } else {
                let ended = credential != nil || Office.endsCredential(operation.event) ? kept.credential?.reference ?? operation.ended : nil
                let change = RegistrationChange(
                    id: operation.id, previous: before?.offset ?? operation.lastOffset, event: operation.event,
                    credential: credential, supersedes: ended, request: operation.request)
                entry = PreparedEntry(
                    JournalEntry(time: operation.time, authority: authority.id, body: .registration(change)), sequence: first + UInt64(index),
                    state: operation.after(issuing: credential, kept: kept))
            }
            let position = try registry.append(entry)
            written[operation.id] = (position.offset, credential ?? kept.credential, credential != nil ? position.offset : kept.offset)
            outcomes.append(Outcome(id: operation.id, kind: operation.event.kind, sequence: position.sequence, credential: issued, request: operation.request))
        }
        return outcomes
    }

    /// Whether the batch has operations not yet committed.
    public var hasPendingWork: Bool { !batch.isEmpty }

    // MARK: Recording

    private func record(
        _ event: RegistrationEvent, for id: RegistrationID, current: RegistrationRecord?, qualification: Qualification,
        request: SHA256.Digest?
    ) throws {
        let state = try LifeCycle.apply(event, to: current?.registration, qualification: qualification)
        var content: QualificationCredential.Content?
        var ended: CredentialRecord?
        if LifeCycle.issuesCertificate(event) {
            content = QualificationCredential.Content(
                registration: state, qualification: qualification, effectiveDate: Office.effectiveDate(of: event, state: state),
                slot: try registry.allocateSlot(for: issuer.authorityID))
            ended = current?.credential?.reference
        } else if Office.endsCredential(event) {
            ended = current?.credential?.reference
        }
        let owner = current?.authority ?? authority.id
        let kept: Operation.Kept = content == nil ? (current?.credential, current?.credentialOffset) : (nil, nil)
        batch.append(
            Operation(
                id: id, event: event, time: clock(), content: content, ended: ended, request: request, lastOffset: current?.lastOffset,
                firstInBatch: overlay[id] == nil, state: state, owner: owner, kept: kept))
        lastOperation[id] = committedBefore + batch.count - 1
        if signsAhead { handAhead(minimum: Office.pieceSize) }
        if current == nil { registeredInBatch[state.holderKey, default: []].append(id) }
        // Later operations in the batch see this one's state; its credential is signed by the worker or at commit.
        overlay[id] = RegistrationRecord(
            registration: state, authority: owner, credential: kept.credential, credentialOffset: kept.offset, lastOffset: current?.lastOffset)
    }

    /// Events after which the current credential must stop verifying for good.
    static func endsCredential(_ event: RegistrationEvent) -> Bool {
        switch event {
        case .erase: true
        case .dispose(let disposition): disposition.kind == .revocation
        default: false
        }
    }

    /// The day a new certificate takes effect: the new card's first day for a renewal, else the event's date.
    static func effectiveDate(of event: RegistrationEvent, state: Registration) -> CalendarDate {
        if case .renew = event, let card = state.card { return min(card.lowerBound, event.date) }
        return event.date
    }

    private func checkEntitled(_ qualification: Qualification) throws {
        guard authority.registers(qualification.code) else {
            throw OfficeError(
                .authorityNotEntitled,
                "\(authority.name) does not register \(qualification.name) (\(qualification.code)); its register is kept by "
                    + "\(qualification.authority). Act as an entitled authority with --as")
        }
    }

    /// Refuses an event dated after today in Japan: the register records what has happened (a period that
    /// starts later, such as a suspension's, is the event's own).
    private func checkHappened(_ event: RegistrationEvent) throws {
        let today = clock().dateInJapan
        guard event.date <= today else {
            throw OfficeError(
                .futureDate, "date: \(event.date.iso) is after today (\(today.iso) in Japan); an event is recorded on or after the day it happens")
        }
    }

    private func holderRegistrations(_ holder: HolderKey) throws -> [Registration] {
        var states: [RegistrationID: Registration] = [:]
        for id in try registry.registrations(of: holder) {
            if let record = try current(id) { states[id] = record.registration }
        }
        for id in registeredInBatch[holder] ?? [] { states[id] = overlay[id]?.registration }
        return Array(states.values)
    }

    private func numberKey(_ qualification: Qualification) -> String {
        "\(qualification.code)/\(authority.prefecture?.code ?? 0)"
    }

    /// The next running number of the register (in the acting prefecture, for prefectural registers).
    private func nextNumber(_ qualification: Qualification) throws -> UInt64 {
        if let next = nextNumbers[numberKey(qualification)] { return next }
        let format = qualification.registrationNumber
        let limit = UInt64(pow10(format.digits))
        let base = format.prefecturePrefix ? UInt64(authority.prefecture?.code ?? 0) * limit : 0
        let last = try registry.lastRegistrationNumber(qualification.code, in: base..<(base + limit)).map { $0 - base } ?? 0
        guard last + 1 < limit else {
            throw OfficeError(.registerFull, "the \(qualification.register) has used all \(format.digits)-digit numbers")
        }
        nextNumbers[numberKey(qualification)] = last + 1
        return last + 1
    }

    private func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { result, _ in result * 10 } }
}

/// Lets the parallel read-ahead share the registry, which it only reads.
private struct UncheckedRegistry: @unchecked Sendable {
    let registry: Registry
}
