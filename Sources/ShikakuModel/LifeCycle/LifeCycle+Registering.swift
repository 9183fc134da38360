extension LifeCycle {
    static func checkRegistering(
        _ event: Registering, qualification: Qualification, holderRegistrations: [Registration]
    ) throws(ModelError) {
        guard event.id.qualification == qualification.code else {
            preconditionFailure("registration \(event.id) checked against \(qualification.code)")
        }
        switch (qualification.registeredBy, event.prefecture) {
        case (.prefectural, nil):
            throw ModelError(
                .missingField, "prefecture: the \(qualification.register) is kept by each prefecture; say which one")
        case (.national, .some):
            throw ModelError(.unexpectedField, "prefecture: the \(qualification.register) is a national register")
        default:
            break
        }
        if qualification.recordsSex, event.holder.sex == nil {
            throw ModelError(.missingField, "sex: the \(qualification.register) records 性別; give it")
        }
        if !qualification.recordsSex, event.holder.sex != nil {
            throw ModelError(.unexpectedField, "sex: the \(qualification.register) does not record 性別; leave it out")
        }
        if let existing = holderRegistrations.first(where: { $0.id.qualification == qualification.code && $0.erasure == nil }) {
            guard existing.revokedOn == nil else {
                throw ModelError(
                    .alreadyRegistered,
                    "the holder's \(qualification.name) registration \(existing.id) was revoked; record a relicensing on it instead of a new registration",
                    article: qualification.relicense?.article)
            }
            throw ModelError(.alreadyRegistered, "the holder is already registered as \(qualification.name): \(existing.id)")
        }
        let evidenceDates = event.evidence.exams.map(\.date) + event.evidence.trainings.map(\.date)
        if let late = evidenceDates.max(), late > event.date {
            throw ModelError(
                .evidenceAfterRegistration,
                "the evidence is dated \(late.iso), after the registration date \(event.date.iso); check the dates")
        }
        guard event.holder.birthDate < event.date else {
            throw ModelError(.invalidBirthDate, "birthDate: \(event.holder.birthDate.iso) is not before the registration date")
        }
        // One person, one birth date: a second register's entry that disagrees is a typo in it or in the My Number.
        if let other = holderRegistrations.first(where: { $0.holder.birthDate != event.holder.birthDate }) {
            throw ModelError(
                .invalidBirthDate,
                "birthDate: the holder of this My Number is registered as \(other.id), born \(other.holder.birthDate.iso), not "
                    + "\(event.holder.birthDate.iso); check the birth date or the My Number")
        }
        if let early = (event.evidence.exams + event.evidence.trainings).min(by: { $0.date < $1.date }), early.date <= event.holder.birthDate {
            throw ModelError(
                .invalidBirthDate,
                "birthDate: \(event.holder.birthDate.iso) is not before the evidence (\(early.name), \(early.date.iso)); check the dates")
        }
        for requirement in qualification.prerequisites {
            if let unmet = unmet(requirement, by: event, holderRegistrations: holderRegistrations) {
                throw unmet.error(for: qualification)
            }
        }
    }

    /// The first way `requirement` is not met, or `nil` when it is.
    private static func unmet(_ requirement: Requirement, by event: Registering, holderRegistrations: [Registration])
        -> UnmetRequirement?
    {
        let met: Bool
        switch requirement {
        case .exam(let name, _):
            met = event.evidence.exams.contains { $0.name == name }
        case .training(let name, _):
            met = event.evidence.trainings.contains { $0.name == name }
        case .qualification(let code, _):
            met = holds(code, on: event.date, among: holderRegistrations)
        case .sex(let sex, _):
            met = event.holder.sex == sex
        case .practice(let practice, let article):
            guard let record = event.evidence.practice, record.years >= practice.years, record.days >= practice.days else {
                return UnmetRequirement(requirement: requirement)
            }
            if let work = record.work, work == practice.orWork {
                met = true  // a kind of work, not a register: there is no registration to hold
            } else if let basis = record.basis, practice.basedOn.contains(basis) {
                // Practice as a holder of one of the catalog's qualifications counts only from a holder of it.
                guard holds(basis, on: event.date, among: holderRegistrations) else {
                    return UnmetRequirement(requirement: .qualification(basis, article: article), asPracticeBasis: true)
                }
                met = true
            } else {
                met = false
            }
        case .anyOf(let alternatives, _):
            met = alternatives.contains { unmet($0, by: event, holderRegistrations: holderRegistrations) == nil }
        }
        return met ? nil : UnmetRequirement(requirement: requirement)
    }

    /// Whether the holder has a registration in `code`'s register that is in force on `date`: made by then,
    /// and neither revoked nor erased (a suspension or a lapsed card does not take the licence away).
    private static func holds(_ code: QualificationCode, on date: CalendarDate, among holderRegistrations: [Registration])
        -> Bool
    {
        holderRegistrations.contains { $0.id.qualification == code && $0.registeredOn <= date && !$0.isClosed(on: date) }
    }
}

/// A prerequisite that is not met, turned into the error that says which rule and how to meet it.
private struct UnmetRequirement {
    let requirement: Requirement
    /// Whether `requirement` is a licence that the practice claimed in the evidence calls for (介護支援専門員's
    /// 法定資格), rather than one the catalog lists.
    var asPracticeBasis = false

    func error(for qualification: Qualification) -> ModelError {
        let subject = "registration as \(qualification.name)"
        switch requirement {
        case .exam(let name, let article):
            return ModelError(
                .prerequisiteExam, "\(subject) needs a pass in \(name); add it to the evidence (exam name and date)",
                article: article)
        case .training(let name, let article):
            return ModelError(
                .prerequisiteTraining, "\(subject) needs \(name); add it to the evidence (training name and date)",
                article: article)
        case .qualification(let code, let article):
            let other = (try? Catalog.qualification(code)).map(\.name) ?? code.rawValue
            if asPracticeBasis {
                return ModelError(
                    .prerequisiteLicence,
                    "\(subject) counts practice as \(other) only from a holder of a \(other) registration in force "
                        + "on the registration date; the holder has none in this registry (register it first)",
                    article: article)
            }
            return ModelError(
                .prerequisiteLicence, "\(subject) needs a \(other) licence in force; the holder has none in this registry",
                article: article)
        case .sex(let sex, let article):
            return ModelError(
                .prerequisiteSex, "\(subject) is limited by law to holders whose recorded 性別 is \(sex.japanese)",
                article: article)
        case .practice(let practice, let article):
            let bases = practice.basedOn.compactMap { try? Catalog.qualification($0).name }.joined(separator: "・")
            let work = practice.orWork.map { " or in \($0)" } ?? ""
            return ModelError(
                .prerequisitePractice,
                "\(subject) needs at least \(practice.years) years and \(practice.days) days of practice as \(bases)\(work)",
                article: article)
        case .anyOf(let alternatives, let article):
            let names = alternatives.map(\.summary).joined(separator: "; or ")
            return ModelError(.prerequisiteUnmet, "\(subject) needs one of: \(names)", article: article)
        }
    }
}

extension Requirement {
    /// A few words naming the requirement, for messages and tables.
    public var summary: String {
        switch self {
        case .exam(let name, _): name
        case .training(let name, _): name
        case .qualification(let code, _): "\((try? Catalog.qualification(code))?.name ?? code.rawValue)の免許"
        case .sex(let sex, _): "性別 \(sex.japanese)"
        case .practice(let practice, _): "実務経験\(practice.years)年以上・\(practice.days)日以上"
        case .anyOf(let alternatives, _): alternatives.map(\.summary).joined(separator: " または ")
        }
    }
}
