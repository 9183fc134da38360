/// The registration life cycle as a state machine over ``RegistrationEvent``s.
///
/// ``check(_:against:qualification:holderRegistrations:)`` enforces the law and
/// the registration's state when an event is proposed; ``apply(_:to:qualification:)``
/// folds an accepted event into the state. Replaying a journal only folds: the
/// rules were checked when each event was written, and a later change of rules
/// must not rewrite history.
public enum LifeCycle {
    /// Checks that `event` may happen to `current` (nil for a registration not yet made).
    /// - Parameters:
    ///   - event: The proposed event.
    ///   - current: The registration's current state, or `nil` for a new registration.
    ///   - qualification: The registration's qualification.
    ///   - holderRegistrations: The holder's registrations in every register (for prerequisites and duplicates).
    /// - Throws: A `rule.*` error naming the rule and the law's article, or an `input.*` error for malformed data.
    public static func check(
        _ event: RegistrationEvent, against current: Registration?, qualification: Qualification,
        holderRegistrations: [Registration]
    ) throws(ModelError) {
        guard case .register(let registering) = event else {
            guard let current else {
                throw ModelError(.noRegistration, "\(event.kind) needs an existing registration")
            }
            guard event.date >= current.registeredOn else {
                throw ModelError(
                    .beforeRegistration,
                    "\(current.id) was registered on \(current.registeredOn.iso); the \(event.kind) cannot take effect before that (\(event.date.iso))")
            }
            if let erasure = current.erasure {
                throw ModelError(.registrationErased, "\(current.id) was erased on \(erasure.date.iso) (\(erasure.reason.rawValue)); nothing more can be recorded on it")
            }
            // A new certificate for a revoked licence would verify whatever day the event is dated: a licence
            // revoked since is licensed again (relicense) before anything issues one.
            let relicensing = if case .relicense = event { true } else { false }
            if let since = current.revokedOn, Self.issuesCertificate(event), !relicensing {
                throw ModelError(
                    .registrationRevoked, "\(current.id) has been revoked since \(since.iso); a \(event.kind) is not possible unless it is licensed again")
            }
            try checkChange(event, against: current, qualification: qualification)
            return
        }
        guard current == nil else {
            throw ModelError(.alreadyRegistered, "\(registering.id) already exists")
        }
        try checkRegistering(registering, qualification: qualification, holderRegistrations: holderRegistrations)
    }

    private static func checkChange(_ event: RegistrationEvent, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        switch event {
        case .register: preconditionFailure("handled by check")
        case .amend(let amendment): try checkAmendment(amendment, against: current, qualification: qualification)
        case .recordAddition(let addition): try checkAddition(addition, against: current, qualification: qualification)
        case .renew(let renewal): try checkRenewal(renewal, against: current, qualification: qualification)
        case .retrain(let renewal): try checkRetraining(renewal, against: current, qualification: qualification)
        case .report(let filing): try checkReport(filing, against: current, qualification: qualification)
        case .dispose(let disposition): try checkDisposition(disposition, against: current, qualification: qualification)
        case .reinstate(let reinstatement): try checkReinstatement(reinstatement, against: current)
        case .relicense(let relicensing): try checkRelicensing(relicensing, against: current, qualification: qualification)
        case .reissue(let reissue): try checkOpen(current, on: reissue.date, for: "a certificate reissue")
        case .erase: break
        }
    }

    /// Whether `event` puts new details on the certificate (so that a new one is issued).
    public static func issuesCertificate(_ event: RegistrationEvent) -> Bool {
        switch event {
        case .register, .amend, .recordAddition, .renew, .retrain, .relicense, .reissue: true
        case .report, .dispose, .reinstate, .erase: false
        }
    }

    /// Folds an accepted event into the state.
    /// - Throws: `rule.no-registration` or `rule.already-registered` when the event does not fit the state at all
    ///   (a journal that does not start with the registration).
    public static func apply(_ event: RegistrationEvent, to current: Registration?, qualification: Qualification)
        throws(ModelError) -> Registration
    {
        if case .register(let registering) = event {
            guard current == nil else { throw ModelError(.alreadyRegistered, "\(registering.id) already exists") }
            return Registration(registering, cardYears: qualification.validity.renewal?.years)
        }
        guard var state = current else { throw ModelError(.noRegistration, "\(event.kind) needs an existing registration") }
        switch event {
        case .register:
            preconditionFailure("handled above")
        case .amend(let amendment):
            if let name = amendment.name { state.holder.name = name }
            if let kana = amendment.nameKana { state.holder.nameKana = kana }
            if let formerSurname = amendment.formerSurname { state.holder.formerSurname = formerSurname }
            if let birthDate = amendment.birthDate { state.holder.birthDate = birthDate }
            if let sex = amendment.sex { state.holder.sex = sex }
            state.certificateSerial += 1
        case .recordAddition(let addition):
            state.additions.append(addition)
            state.certificateSerial += 1
        case .renew(let renewal):
            if let card = state.card, let years = qualification.validity.renewal?.years {
                let start = max(card.upperBound.adding(days: 1), renewal.date)
                state.card = start...start.lastDayOfPeriod(years: years)
            }
            state.certificateSerial += 1
        case .retrain(let renewal):
            if let years = qualification.validity.renewal?.years {
                state.card = renewal.date...renewal.date.lastDayOfPeriod(years: years)
            }
            state.certificateSerial += 1
        case .report(let filing):
            state.reports.append(filing)
        case .dispose(let disposition):
            state.dispositions.append(disposition)
            if disposition.kind == .revocation { state.revokedOn = disposition.date }
        case .reinstate(let reinstatement):
            if let index = state.dispositions.lastIndex(where: { $0.isLiftable(on: reinstatement.date) }) {
                state.dispositions[index].liftedOn = reinstatement.date
            }
        case .relicense(let relicensing):
            state.revokedOn = nil
            state.relicensedOn.append(relicensing.date)
            if let years = qualification.validity.renewal?.years {
                state.card = relicensing.date...relicensing.date.lastDayOfPeriod(years: years)
            }
            state.certificateSerial += 1
        case .reissue(let reissue):
            state.reissues.append(reissue)
            state.certificateSerial += 1
        case .erase(let erasure):
            state.erasure = erasure
        }
        return state
    }

    /// Refuses `what` when the registration is revoked or erased on `date`.
    static func checkOpen(_ current: Registration, on date: CalendarDate, for what: String, article: String? = nil)
        throws(ModelError)
    {
        if case .revoked(let since) = current.standing(on: date) {
            throw ModelError(
                .registrationRevoked,
                "\(current.id) has been revoked since \(since.iso); \(what) is not possible unless it is licensed again",
                article: article)
        }
    }
}

extension Disposition {
    /// Whether a reinstatement on `date` would lift this suspension or ban: it is time-bound, not lifted yet,
    /// and has not ended before `date`.
    func isLiftable(on date: CalendarDate) -> Bool {
        guard kind.isTimeBound, liftedOn == nil, let until else { return false }
        return date <= until
    }
}
