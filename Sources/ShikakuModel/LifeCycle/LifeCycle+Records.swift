extension LifeCycle {
    static func checkAmendment(_ amendment: Amendment, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        guard !amendment.isEmpty else {
            throw ModelError(.missingField, "an amendment must change at least one recorded item")
        }
        // A revoked licence issues no credential: it is licensed again first, whatever is corrected.
        try checkOpen(current, on: amendment.date, for: "an amendment")
        let holder = current.holder
        // Text compared scalar for scalar: a name written again in another normal form is a change to the certificate.
        func same(_ given: String?, _ recorded: String?) -> Bool {
            (given ?? recorded)?.unicodeScalars.elementsEqual(recorded?.unicodeScalars ?? "".unicodeScalars) ?? (recorded == nil)
        }
        let unchanged =
            same(amendment.name, holder.name) && same(amendment.nameKana, holder.nameKana)
            && (amendment.formerSurname.map { given in given.map { same($0, holder.formerSurname) } ?? (holder.formerSurname == nil) } ?? true)
            && (amendment.birthDate ?? holder.birthDate) == holder.birthDate && (amendment.sex ?? holder.sex) == holder.sex
        guard !unchanged else {
            throw ModelError(.noChange, "the amendment gives every item as \(current.id) already records it; it changes nothing")
        }
        if let name = amendment.name { try Holder.checkName(name, field: "name") }
        if let kana = amendment.nameKana { try Holder.checkKana(kana) }
        if case .some(.some(let former)) = amendment.formerSurname { try Holder.checkName(former, field: "formerSurname") }
        if let birthDate = amendment.birthDate {
            guard birthDate.year >= 1900, birthDate < current.registeredOn else {
                throw ModelError(.invalidBirthDate, "birthDate: \(birthDate.iso) is not a plausible birth date for this registration")
            }
        }
        if amendment.sex != nil, !qualification.recordsSex {
            throw ModelError(.unexpectedField, "sex: the \(qualification.register) does not record 性別; leave it out")
        }
    }

    static func checkAddition(_ addition: RecordedAddition, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        guard let rule = qualification.addition(addition.code) else {
            let known = qualification.additions.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")
            throw ModelError(
                .additionNotRecorded,
                "the \(qualification.register) does not record \"\(addition.code)\""
                    + (known.isEmpty ? "; it records no additions" : "; it records \(known)"))
        }
        try checkOpen(current, on: addition.date, for: "recording \(rule.name)", article: rule.article)
        guard !current.additions.contains(where: { $0.code == addition.code }) else {
            throw ModelError(.additionAlreadyRecorded, "\(rule.name) is already recorded on \(current.id)")
        }
        if let years = rule.minYears {
            let earliest = current.registeredOn.adding(years: years)
            guard addition.date >= earliest else {
                throw ModelError(
                    .additionTooEarly,
                    "\(rule.name) takes at least \(years) years after registration (\(current.registeredOn.iso)); "
                        + "it cannot be completed before \(earliest.iso)",
                    article: rule.article)
            }
        }
    }

    static func checkReport(_ filing: PeriodicReportFiling, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        guard let duty = qualification.periodicReport else {
            throw ModelError(.noReportDuty, "\(qualification.name) holders file no periodic report under \(qualification.law)")
        }
        if filing.practising, filing.workplace == nil {
            throw ModelError(.missingField, "workplace: a practising holder's \(duty.name) names the prefecture of the workplace")
        }
        if !filing.practising, filing.workplace != nil {
            throw ModelError(.unexpectedField, "workplace: a holder who is not practising has no workplace to name; leave it out")
        }
        guard duty.isReportingYear(filing.year) else {
            throw ModelError(
                .notAReportingYear,
                "\(duty.name) reports the status on \(duty.asOf) (MM-DD) every \(duty.everyYears) years "
                    + "(\(filing.year - filing.year % duty.everyYears), \(filing.year - filing.year % duty.everyYears + duty.everyYears), …); "
                    + "\(filing.year) is not one",
                article: duty.article)
        }
        guard let asOf = duty.statusDay(in: filing.year) else {
            throw ModelError(
                .invalidCatalog, "\(qualification.code).periodicReport.asOf: \(duty.asOf) is not a day of \(filing.year)")
        }
        guard filing.filedOn > asOf else {
            throw ModelError(
                .reportTooEarly, "\(duty.name) for \(filing.year) reports the status on \(asOf.iso); it is filed after that day",
                article: duty.article)
        }
        guard current.registeredOn <= asOf else {
            throw ModelError(
                .noReportDuty, "\(current.id) was registered after \(asOf.iso); it has no \(duty.name) for \(filing.year)",
                article: duty.article)
        }
        try checkOpen(current, on: asOf, for: "a \(duty.name)", article: duty.article)
        if duty.whilePractisingOnly, !filing.practising {
            throw ModelError(
                .noReportDuty, "\(duty.name) is filed only by holders who are practising; this filing says not practising",
                article: duty.article)
        }
        guard !current.reports.contains(where: { $0.year == filing.year }) else {
            throw ModelError(.reportAlreadyFiled, "\(duty.name) for \(filing.year) is already filed for \(current.id)")
        }
    }
}

extension PeriodicReportFiling {
    /// Whether it was filed after the deadline in the catalog (``PeriodicReport/dueBy`` of the next year: 15 January).
    public func isLate(for duty: PeriodicReport) -> Bool {
        guard let due = duty.deadline(for: year) else { return false }
        return filedOn > due
    }
}
