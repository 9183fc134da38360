import ShikakuModel
import ShikakuOffice

/// `shikaku register CODE`: a new registration, with its first credential.
enum RegisterCommand: Command {
    static let path = ["register"]
    static let abstract = "Register a holder in a qualification's register and issue the credential"
    static let usage = [
        "register CODE --name NAME --kana KANA --birth-date DATE [--sex SEX] [--exam NAME@DATE ...] [--training NAME@DATE ...] "
            + "[--practice BASIS:YEARS:DAYS] [--date DATE] --my-number-stdin",
    ]
    static let positionals = 1...1
    static let discussion = """
        CODE is a qualification code or its Japanese name (shikaku catalog lists them). The register gives the next
        number; a prefecture's registers are numbered after its JIS code. The holder's My Number is read from
        standard input, a file or a prompt, checked, and turned into a holder key: it is not stored, shown or signed.
        Evidence names the exams and trainings exactly as the catalog's prerequisites do (shikaku catalog CODE).
        """
    static let options: [OptionSpec] = OfficeRun.options + Secrets.myNumberOptions + [
        OptionSpec("name", value: "NAME", help: "氏名, family name first (山田 花子)"),
        OptionSpec("kana", value: "KANA", help: "the name's reading in katakana (ヤマダ ハナコ)"),
        OptionSpec("former-surname", value: "NAME", help: "旧姓 to show beside the name"),
        OptionSpec("birth-date", value: "DATE", help: "生年月日, YYYY-MM-DD"),
        OptionSpec("sex", value: "SEX", help: "female or male, where the register records it"),
        OptionSpec("exam", value: "NAME@DATE", help: "an exam passed, as the catalog names it", repeatable: true),
        OptionSpec("training", value: "NAME@DATE", help: "a training completed, as the catalog names it", repeatable: true),
        OptionSpec("practice", value: "BASIS:YEARS:DAYS", help: "practice on a qualification the holder is registered in here (or work=NAME), years and days"),
        OptionSpec("date", value: "DATE", help: "登録年月日 (default: today in Japan)"),
    ]
    static let examples = [
        Example(
            command: "echo 123456789018 | shikaku register physician --name '山田 花子' --kana 'ヤマダ ハナコ' --birth-date 1990-05-01 "
                + "--sex female --exam 医師国家試験@2020-03-16 --my-number-stdin --passphrase-file pass",
            explanation: "a physician, numbered in the 医籍"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let qualification = try Catalog.find(invocation.positionals[0])
        let holder = try Holder(
            name: try invocation.required("name"), nameKana: try invocation.required("kana"),
            formerSurname: invocation.option("former-surname"), birthDate: try RegistryAccess.date(invocation, "birth-date", defaultToday: false),
            sex: try invocation.option("sex").map { (text) throws in try Sex(parsing: text) })
        let evidence = RegistrationEvidence(
            exams: try invocation.options("exam").map { try completion($0, option: "exam") },
            trainings: try invocation.options("training").map { try completion($0, option: "training") },
            practice: try invocation.option("practice").map(practice))
        let number = try MyNumber(try Secrets.myNumber(invocation))
        let date = try RegistryAccess.date(invocation, "date")
        return try OfficeRun.perform(invocation) { office in
            try office.register(qualification.code, holder: try office.holderKey(number), person: holder, evidence: evidence, on: date)
        }
    }

    /// `NAME@YYYY-MM-DD`.
    static func completion(_ text: String, option: String) throws -> Completion {
        guard let at = text.lastIndex(of: "@"), at != text.startIndex else {
            throw CLIError(.invalidField, "--\(option) \"\(text)\": write the name, @ and the date, e.g. 医師国家試験@2020-03-16")
        }
        return Completion(name: String(text[..<at]), date: try CalendarDate(iso: text[text.index(after: at)...], field: "--\(option)"))
    }

    /// `BASIS:YEARS:DAYS` or `work=NAME:YEARS:DAYS`.
    static func practice(_ text: String) throws -> PracticeRecord {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let years = Int(parts[1]), let days = Int(parts[2]), years >= 0, days >= 0 else {
            throw CLIError(.invalidField, "--practice \"\(text)\": write BASIS:YEARS:DAYS, e.g. registered-nurse:5:900 or work=相談援助業務:5:900")
        }
        if parts[0].hasPrefix("work=") { return PracticeRecord(work: String(parts[0].dropFirst(5)), years: years, days: days) }
        return PracticeRecord(basis: try Catalog.find(String(parts[0])).code, years: years, days: days)
    }
}
