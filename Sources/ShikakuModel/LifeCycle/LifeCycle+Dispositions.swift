extension LifeCycle {
    static func checkDisposition(_ disposition: Disposition, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        guard let rule = qualification.disposition(disposition.kind) else {
            let allowed = qualification.dispositions.map(\.name).joined(separator: ", ")
            throw ModelError(
                .dispositionNotAllowed,
                "\(qualification.law) does not provide for a \(disposition.kind.rawValue) of \(qualification.name); "
                    + "it allows: \(allowed)",
                article: qualification.dispositions.first?.article)
        }
        try checkOpen(current, on: disposition.date, for: "a further disposition", article: rule.article)
        guard !disposition.reason.isEmpty else {
            throw ModelError(.missingField, "reason: a disposition records its grounds")
        }
        guard disposition.kind.isTimeBound else {
            guard disposition.from == nil, disposition.until == nil else {
                throw ModelError(.unexpectedField, "from/until: a \(rule.name) has no period")
            }
            return
        }
        guard let from = disposition.from, let until = disposition.until else {
            throw ModelError(.missingField, "from/until: a \(rule.name) needs its first and last day")
        }
        guard from <= until else {
            throw ModelError(.invalidPeriod, "from/until: the period ends (\(until.iso)) before it starts (\(from.iso))")
        }
        // Whoever checked the licence before the decision was rightly told it was in force.
        guard from >= disposition.date else {
            throw ModelError(
                .invalidPeriod, "from: a \(rule.name) starts on or after the day it is decided (\(disposition.date.iso)), not \(from.iso)")
        }
        guard from >= current.registeredOn else {
            throw ModelError(.beforeRegistration, "from: \(from.iso) is before the registration (\(current.registeredOn.iso))")
        }
        if let maxYears = rule.maxYears {
            let longest = from.lastDayOfPeriod(years: maxYears)
            guard until <= longest else {
                throw ModelError(
                    .suspensionTooLong,
                    "\(qualification.law) allows a \(rule.name) of at most \(maxYears) year\(maxYears == 1 ? "" : "s"): "
                        + "starting \(from.iso) it must end by \(longest.iso), not \(until.iso)",
                    article: rule.article)
            }
        }
        if let overlapping = current.dispositions.first(where: { $0.effectivePeriod?.overlaps(from...until) ?? false }),
            let period = overlapping.effectivePeriod
        {
            throw ModelError(
                .suspensionOverlap,
                "\(current.id) is already under a \(overlapping.kind.rawValue) from \(period.lowerBound.iso) to "
                    + "\(period.upperBound.iso); periods may not overlap")
        }
    }

    static func checkReinstatement(_ reinstatement: Reinstatement, against current: Registration) throws(ModelError) {
        try checkOpen(current, on: reinstatement.date, for: "reinstatement")
        guard current.dispositions.contains(where: { $0.isLiftable(on: reinstatement.date) }) else {
            throw ModelError(
                .notSuspended,
                "\(current.id) has no suspension or ban in force or pending on \(reinstatement.date.iso) to lift")
        }
        guard !reinstatement.reason.isEmpty else {
            throw ModelError(.missingField, "reason: a reinstatement records why the suspension is lifted")
        }
    }

    static func checkRelicensing(_ relicensing: Relicensing, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        guard let revokedOn = current.revokedOn else {
            throw ModelError(.notRevoked, "\(current.id) is not revoked; there is nothing to license again")
        }
        guard let rule = qualification.relicense else {
            throw ModelError(
                .relicenseNotAllowed, "\(qualification.law) does not provide for licensing a \(qualification.name) again after revocation")
        }
        if let years = rule.waitYears {
            let earliest = revokedOn.adding(years: years)
            guard relicensing.date >= earliest else {
                throw ModelError(
                    .relicenseTooEarly,
                    "\(rule.name) is possible \(years) years after the revocation (\(revokedOn.iso)), from \(earliest.iso)",
                    article: rule.article)
            }
        }
    }
}
