import ShikakuCredentials
import ShikakuCrypto
import ShikakuModel
import ShikakuStore

/// What a licensing office does to its registers: register, amend, renew, report, dispose, reinstate,
/// relicense, reissue, erase — each checked against the law and the registration's state, under the
/// writers' lock, and recorded as events with the credentials they issue.
///
/// Work is done in batches: each operation is checked against the state including the batch so far,
/// and ``commit()`` makes the whole batch durable with one sync and signs one checkpoint over it.
/// Nothing is reported done before that.
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
    /// Operations in the batch, for the outcome list.
    private var batch: [Outcome] = []
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

    /// The holder key of a My Number under the registry's secret (opened on first use).
    public func holderKey(_ number: MyNumber) throws -> HolderKey {
        if secret == nil { secret = try registry.holderSecret(passphrase: passphrase) }
        guard let secret else { preconditionFailure("set above") }
        return number.holderKey(secret: secret)
    }

    /// What one operation did.
    public struct Outcome: Sendable {
        /// The registration.
        public let id: RegistrationID
        /// The event's kind.
        public let kind: String
        /// The event's index in the log.
        public let sequence: UInt64
        /// The credential it issued, if any.
        public let credential: IssuedCredential?
    }

    // MARK: Operations

    /// Registers a holder. The number is the register's next; the authority's prefecture is the register's.
    /// - Throws: `rule.authority-not-entitled`, the life cycle's refusals, storage errors.
    @discardableResult
    public func register(
        _ code: QualificationCode, holder: HolderKey, person: Holder, evidence: RegistrationEvidence, on date: CalendarDate
    ) throws -> Outcome {
        let qualification = try Catalog.qualification(code)
        try checkEntitled(qualification)
        let id = RegistrationID(
            qualification: code, number: qualification.registrationNumber.format(sequence: Int(try nextNumber(qualification)), prefecture: authority.prefecture))
        let event = RegistrationEvent.register(
            Registering(id: id, holderKey: holder, holder: person, evidence: evidence, prefecture: authority.prefecture, date: date))
        let others = try holderRegistrations(holder)
        try LifeCycle.check(event, against: nil, qualification: qualification, holderRegistrations: others)
        let outcome = try record(event, for: id, current: nil, qualification: qualification)
        nextNumbers[numberKey(qualification)] = (nextNumbers[numberKey(qualification)] ?? 1) + 1
        return outcome
    }

    /// Records any event but a registration on registration `id`.
    /// - Throws: `input.unknown-registration`, `rule.authority-not-entitled`, the life cycle's refusals.
    @discardableResult
    public func change(_ id: RegistrationID, _ event: RegistrationEvent) throws -> Outcome {
        precondition(event.kind != "register", "use register(_:holder:person:evidence:on:)")
        let qualification = try Catalog.qualification(id.qualification)
        guard let current = try current(id) else {
            throw OfficeError(.unknownRegistration, "the registry has no registration \(id); `shikaku find` lists a holder's")
        }
        try checkEntitled(qualification)
        guard current.authority == authority.id else {
            let owner = registry.config.authority(current.authority)?.name ?? current.authority
            throw OfficeError(.authorityNotEntitled, "\(id) is in the register of \(owner); \(authority.name) cannot change it")
        }
        try LifeCycle.check(event, against: current.registration, qualification: qualification, holderRegistrations: [])
        return try record(event, for: id, current: current, qualification: qualification)
    }

    /// The registration as it stands, including this batch.
    public func current(_ id: RegistrationID) throws -> RegistrationRecord? {
        if let pending = overlay[id] { return pending }
        return try registry.record(of: id)
    }

    /// Makes the batch durable and signs a checkpoint over it.
    /// - Returns: What each operation did.
    /// - Throws: storage errors; after one, nothing of the batch counts.
    @discardableResult
    public func commit() throws -> [Outcome] {
        do {
            try registry.commit()
        } catch {
            discard()
            throw error
        }
        let done = batch
        batch.removeAll()
        overlay.removeAll()
        try registry.signCheckpoint(with: logKey)
        return done
    }

    /// Drops the batch.
    public func discard() {
        registry.discardBatch()
        batch.removeAll()
        overlay.removeAll()
        nextNumbers.removeAll()
    }

    /// Whether the batch has operations not yet committed.
    public var hasPendingWork: Bool { !batch.isEmpty }

    // MARK: Recording

    private func record(_ event: RegistrationEvent, for id: RegistrationID, current: RegistrationRecord?, qualification: Qualification)
        throws -> Outcome
    {
        let state = try LifeCycle.apply(event, to: current?.registration, qualification: qualification)
        let now = clock()
        var credential: CredentialRecord?
        var issued: IssuedCredential?
        var ended: CredentialRecord?
        if Office.issuesCredential(event) {
            let slot = try registry.allocateSlot(for: issuer.authorityID)
            let content = QualificationCredential.Content(
                registration: state, qualification: qualification, effectiveDate: Office.effectiveDate(of: event, state: state), slot: slot)
            let signed = try IssuedCredential.issue(content, issuer: issuer, site: registry.config.site, at: now)
            issued = signed
            credential = CredentialRecord(
                hash: signed.hash, serial: state.certificateSerial, authority: issuer.authorityID, slot: slot, did: issuer.did,
                seal: signed.seal, effective: content.effectiveDate)
            ended = current?.credential?.reference
        } else if Office.endsCredential(event) {
            ended = current?.credential?.reference
        }
        let change = RegistrationChange(id: id, previous: current?.lastOffset, event: event, credential: credential, supersedes: ended)
        let position = try registry.append(JournalEntry(time: now, authority: authority.id, body: .registration(change)))
        overlay[id] = RegistrationRecord(
            registration: state, authority: current?.authority ?? authority.id, credential: credential ?? current?.credential,
            credentialState: credential != nil ? state : current?.credentialState, lastOffset: position.offset)
        let outcome = Outcome(id: id, kind: event.kind, sequence: position.sequence, credential: issued)
        batch.append(outcome)
        return outcome
    }

    /// Events that put new details on the certificate, so a new credential replaces the old one.
    static func issuesCredential(_ event: RegistrationEvent) -> Bool {
        switch event {
        case .register, .amend, .recordAddition, .renew, .retrain, .relicense, .reissue: true
        case .report, .dispose, .reinstate, .erase: false
        }
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

    private func holderRegistrations(_ holder: HolderKey) throws -> [Registration] {
        var states: [RegistrationID: Registration] = [:]
        for id in registry.registrations(of: holder) {
            if let record = try current(id) { states[id] = record.registration }
        }
        for (id, record) in overlay where record.registration.holderKey == holder { states[id] = record.registration }
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
        let last = registry.lastRegistrationNumber(qualification.code, in: base..<(base + limit)).map { $0 - base } ?? 0
        guard last + 1 < limit else {
            throw OfficeError(.registerFull, "the \(qualification.register) has used all \(format.digits)-digit numbers")
        }
        nextNumbers[numberKey(qualification)] = last + 1
        return last + 1
    }

    private func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { result, _ in result * 10 } }
}
