/// `shikaku help batch ACTION` (≡ `shikaku batch ACTION --help`): one action's columns and examples.
extension BatchAction {
    /// One line: what a batch of this action does.
    var abstract: String {
        switch self {
        case .register: "Register holders in bulk, each with the first credential"
        case .renew: "Renew cards that expire (介護支援専門員証) in bulk, after their training"
        case .report: "Record periodic status reports (医師届, 業務従事者届) in bulk"
        case .suspend: "Suspend practice or the title in bulk, each for a period the law bounds"
        case .reinstate: "Lift suspensions or bans in bulk before their end"
        case .revoke: "Revoke licences or registrations (取消) in bulk"
        case .reissue: "Reissue lost, damaged or rewritten certificates in bulk; the old credentials stop verifying"
        case .erase: "Erase registrations (登録抹消) in bulk, on death or on application"
        }
    }

    /// What a column holds.
    func help(column: String) -> String {
        switch (self, column) {
        case (_, "registration"): "the registration, e.g. care-manager:13000001"
        case (_, "key"): "your own key for the row (default: the row's content), so that re-runs skip it"
        case (.register, "qualification"): "a qualification code or its Japanese name (shikaku catalog)"
        case (.register, "myNumber"): "the holder's 12-digit My Number: checked, turned into the holder key, never stored"
        case (.register, "name"): "氏名, family name first (山田 花子)"
        case (.register, "kana"): "the name's reading in katakana (ヤマダ ハナコ)"
        case (.register, "birthDate"): "生年月日, YYYY-MM-DD"
        case (.register, "formerSurname"): "旧姓 to show beside the name"
        case (.register, "sex"): "female or male, where the register records it"
        case (.register, "exams"): "exams passed, NAME@DATE;NAME@DATE, named as the catalog's prerequisites"
        case (.register, "trainings"): "trainings completed, NAME@DATE;NAME@DATE"
        case (.register, "practice"): "practice, BASIS:YEARS:DAYS (a qualification code or work=NAME)"
        case (.register, "date"): "登録年月日 (default: today in Japan)"
        case (.renew, "trainingDate"): "when 更新研修 (or, after a lapse, 再研修) was completed"
        case (.renew, "afterLapse"): "true when the card has lapsed: a new card after 再研修"
        case (.renew, "date"): "when the card is granted (default: today)"
        case (.report, "year"): "the reporting year (status on 31 December)"
        case (.report, "workplace"): "the prefecture of the workplace (就業地)"
        case (.report, "practising"): "true or false (default true)"
        case (.report, "date"): "when it was filed (default: today)"
        case (.suspend, "from"): "the first day, YYYY-MM-DD"
        case (.suspend, "until"): "the last day, YYYY-MM-DD"
        case (.suspend, "reason"): "the grounds (処分理由)"
        case (.suspend, "kind"): "practice, title or ban (default: the one the qualification's law provides)"
        case (.suspend, "date"): "when it was decided (default: today)"
        case (.reinstate, "reason"): "why it is lifted"
        case (.reinstate, "date"): "the day practice resumes (default: today)"
        case (.revoke, "reason"): "the grounds"
        case (.reissue, "reason"): "lost (亡失), damaged (破損・汚損) or rewrite (書換え交付)"
        case (.erase, "reason"): "death (死亡・失踪宣告) or application"
        case (_, "date"): "when (default: today)"
        default: ""
        }
    }

    /// Worked examples.
    var examples: [Example] {
        switch self {
        case .register:
            [
                Example(command: "shikaku batch register new.csv --as tokyo --dry-run", explanation: "check every row, write nothing"),
                Example(command: "shikaku batch register new.jsonl --json", explanation: "JSON Lines in, one JSON result a line out"),
            ]
        case .renew: [Example(command: "shikaku batch renew renewals.csv --as tokyo", explanation: "renew care managers' cards")]
        case .report: [Example(command: "shikaku batch report reports-2024.csv", explanation: "医師届 for 2024, one a row")]
        case .suspend: [Example(command: "shikaku batch suspend suspensions.csv --atomic", explanation: "all of them or none")]
        case .reinstate: [Example(command: "shikaku batch reinstate lifted.csv", explanation: "practice resumes for each")]
        case .revoke: [Example(command: "shikaku batch revoke revocations.csv --atomic --json", explanation: "all or none, for a script")]
        case .reissue: [Example(command: "shikaku batch reissue lost.csv", explanation: "再交付 for every certificate reported lost")]
        case .erase: [Example(command: "shikaku batch erase deaths.csv --dry-run", explanation: "check before 抹消")]
        }
    }
}

extension BatchCommand {
    /// The whole command's help, or one action's: `batch renew --help`.
    static func help(arguments: [String]) throws -> String {
        guard let word = arguments.first else { return Help.command(self) }
        guard let action = BatchAction(rawValue: word) else { throw unknownAction(word) }
        let columns = Help.columns(
            action.required.map { ($0, action.help(column: $0)) } + action.optional.map { ("[\($0)]", action.help(column: $0)) })
        return Help.command(
            self, abstract: action.abstract,
            usage: ["batch \(action.rawValue) FILE [--dry-run] [--atomic] [--format csv|jsonl] [--as AUTHORITY] [--json]"],
            sections: [(title: "Columns (in brackets: optional)", body: columns)], discussion: rules, examples: action.examples)
    }

    static func unknownAction(_ word: String) -> CLIError {
        CLIError(
            .invalidValue, "\"\(word)\" is not a batch action: \(BatchAction.allCases.map(\.rawValue).joined(separator: ", "))", command: path)
    }
}
