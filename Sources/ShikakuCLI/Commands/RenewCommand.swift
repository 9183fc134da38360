import ShikakuModel

/// `shikaku renew REG`: a new 介護支援専門員証 after 更新研修 (or after 再研修, once lapsed).
enum RenewCommand: Command {
    static let path = ["renew"]
    static let abstract = "Renew a card that expires (介護支援専門員証) after its training"
    static let usage = ["renew REG --training-date DATE [--date DATE]", "renew REG --after-lapse --training-date DATE [--date DATE]"]
    static let positionals = 1...1
    static let discussion = """
        Renewal is open from 12 months before the card expires until its last day, after 更新研修 taken during the
        card's validity; the new card follows on from the old one for 5 years. After expiry there is no renewal:
        with --after-lapse, a new card is issued from --date after 再研修 completed since the card lapsed.
        """
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("training-date", value: "DATE", help: "when 更新研修 (or 再研修) was completed"),
        OptionSpec("after-lapse", help: "the card has lapsed: a new card after 再研修"),
        OptionSpec("date", value: "DATE", help: "when the card is granted (default: today)"),
    ]
    static let examples = [
        Example(command: "shikaku renew care-manager:13000001 --training-date 2024-10-20 --as tokyo", explanation: "renewal within validity"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let renewal = CardRenewal(
            date: try RegistryAccess.date(invocation, "date"),
            trainingCompletedOn: try RegistryAccess.date(invocation, "training-date", defaultToday: false))
        return try OfficeRun.perform(invocation) { office in
            try office.change(id, invocation.flag("after-lapse") ? .retrain(renewal) : .renew(renewal))
        }
    }
}
