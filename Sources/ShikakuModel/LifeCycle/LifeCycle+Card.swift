extension LifeCycle {
    static func checkRenewal(_ renewal: CardRenewal, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        let (rule, card) = try renewableCard(current, qualification: qualification, for: "renewal")
        try checkOpen(current, on: renewal.date, for: "renewal", article: rule.renewalArticle)
        guard renewal.date <= card.upperBound else {
            throw ModelError(
                .renewalAfterExpiry,
                "the \(qualification.certificate) expired on \(card.upperBound.iso); it cannot be renewed after expiry. "
                    + "After \(rule.afterLapse), record a retraining instead",
                article: rule.renewalArticle)
        }
        let opens = card.upperBound.adding(months: -rule.opensMonthsBefore)
        guard renewal.date >= opens else {
            throw ModelError(
                .renewalTooEarly,
                "renewal opens \(rule.opensMonthsBefore) months before expiry (\(card.upperBound.iso)), on \(opens.iso)",
                article: rule.renewalArticle)
        }
        guard renewal.trainingCompletedOn >= card.lowerBound, renewal.trainingCompletedOn <= renewal.date else {
            throw ModelError(
                .renewalTrainingMissing,
                "renewal needs \(rule.training) completed during the card's validity (\(card.lowerBound.iso) to "
                    + "\(card.upperBound.iso)) and by the renewal date",
                article: rule.renewalArticle)
        }
    }

    static func checkRetraining(_ renewal: CardRenewal, against current: Registration, qualification: Qualification)
        throws(ModelError)
    {
        let (rule, card) = try renewableCard(current, qualification: qualification, for: "retraining")
        try checkOpen(current, on: renewal.date, for: "a new card", article: rule.article)
        guard renewal.date > card.upperBound else {
            throw ModelError(
                .notLapsed,
                "the \(qualification.certificate) is valid until \(card.upperBound.iso); before then it is renewed after "
                    + "\(rule.training), not re-issued after \(rule.afterLapse)",
                article: rule.renewalArticle)
        }
        guard renewal.trainingCompletedOn > card.upperBound, renewal.trainingCompletedOn <= renewal.date else {
            throw ModelError(
                .renewalTrainingMissing,
                "a new card after a lapse needs \(rule.afterLapse) completed after the card expired (\(card.upperBound.iso)) "
                    + "and by the date of the new card",
                article: rule.article)
        }
    }

    /// The renewal rule and the current card, or the refusal for a qualification whose registrations do not expire.
    private static func renewableCard(_ current: Registration, qualification: Qualification, for what: String)
        throws(ModelError) -> (Validity.Renewal, ClosedRange<CalendarDate>)
    {
        guard let rule = qualification.validity.renewal, let card = current.card else {
            throw ModelError(
                .notRenewable,
                "\(qualification.name) registrations do not expire under \(qualification.law), so there is no \(what)")
        }
        return (rule, card)
    }
}
