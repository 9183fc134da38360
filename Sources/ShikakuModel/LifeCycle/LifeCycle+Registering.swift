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
            met = holderRegistrations.contains {
                $0.id.qualification == code && !$0.isClosed(on: event.date)
            }
        case .sex(let sex, _):
            met = event.holder.sex == sex
        case .practice(let practice, _):
            met = event.evidence.practice.map { record in
                let basisCounts =
                    record.basis.map(practice.basedOn.contains) ?? false
                    || (record.work != nil && record.work == practice.orWork)
                return basisCounts && record.years >= practice.years && record.days >= practice.days
            } ?? false
        case .anyOf(let alternatives, _):
            met = alternatives.contains { unmet($0, by: event, holderRegistrations: holderRegistrations) == nil }
        }
        return met ? nil : UnmetRequirement(requirement: requirement)
    }
}

/// A prerequisite that is not met, turned into the error that says which rule and how to meet it.
private struct UnmetRequirement: Equatable {
    let requirement: Requirement

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
