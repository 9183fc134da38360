import ShikakuModel

/// `shikaku amend REG`: 籍訂正 / 登録事項変更, or a recorded addition such as 臨床研修修了.
enum AmendCommand: Command {
    static let path = ["amend"]
    static let abstract = "Correct recorded items (籍訂正) or record an addition such as 臨床研修修了"
    static let usage = [
        "amend REG [--name NAME] [--kana KANA] [--keep-former-surname | --former-surname NAME | --drop-former-surname] "
            + "[--birth-date DATE] [--sex SEX] [--date DATE]",
        "amend REG --addition CODE [--date DATE]",
    ]
    static let positionals = 1...1
    static let discussion = """
        A change of recorded items issues a new credential; the one before it stops verifying. With a new --name,
        --keep-former-surname keeps the old family name beside it as 旧姓. --addition records what the register
        records after the fact: clinical-training (臨床研修修了), reeducation-training, suction (喀痰吸引等行為);
        --date is the day it was completed.
        """
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("name", value: "NAME", help: "the new 氏名"), OptionSpec("kana", value: "KANA", help: "the new reading"),
        OptionSpec("keep-former-surname", help: "keep the current family name beside the new name as 旧姓"),
        OptionSpec("former-surname", value: "NAME", help: "set the 旧姓 shown beside the name"),
        OptionSpec("drop-former-surname", help: "stop showing a 旧姓"),
        OptionSpec("birth-date", value: "DATE", help: "a corrected birth date"), OptionSpec("sex", value: "SEX", help: "a corrected 性別"),
        OptionSpec("addition", value: "CODE", help: "record an addition (clinical-training, reeducation-training, suction)"),
        OptionSpec("date", value: "DATE", help: "when it takes effect or was completed (default: today)"),
    ]
    static let examples = [
        Example(command: "shikaku amend registered-nurse:0000001 --name '佐藤 花子' --kana 'サトウ ハナコ' --keep-former-surname",
            explanation: "a name change after marriage, 旧姓 kept"),
        Example(command: "shikaku amend physician:0000001 --addition clinical-training --date 2024-03-31", explanation: "臨床研修修了"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        for item in ["name", "kana", "keep-former-surname", "former-surname", "drop-former-surname", "birth-date", "sex"] {
            try invocation.atMostOne(of: ["addition", item], "an addition is recorded on its own; correct the items in another amend")
        }
        try invocation.atMostOne(
            of: ["keep-former-surname", "former-surname", "drop-former-surname"], "the 旧姓 is kept, set or dropped, one of the three")
        try invocation.requires("keep-former-surname", "name", "it keeps the current family name beside a new name")
        let id = try RegistryAccess.registrationID(invocation)
        let date = try RegistryAccess.date(invocation, "date")
        return try OfficeRun.perform(invocation) { office in
            if let code = invocation.option("addition") {
                return try office.change(id, .recordAddition(RecordedAddition(code: code, date: date)))
            }
            var amendment = Amendment(
                name: invocation.option("name"), nameKana: invocation.option("kana"),
                birthDate: try invocation.option("birth-date").map { (text) throws in try CalendarDate(iso: text, field: "--birth-date") },
                sex: try invocation.option("sex").map { (text) throws in try Sex(parsing: text) }, date: date)
            if let former = invocation.option("former-surname") {
                amendment.formerSurname = .some(former)
            } else if invocation.flag("drop-former-surname") {
                amendment.formerSurname = .some(nil)
            } else if invocation.flag("keep-former-surname") {
                let current = try office.existing(id)
                amendment.formerSurname = .some(current.registration.holder.name.split(separator: " ").first.map(String.init))
            }
            try office.change(id, .amend(amendment))
        }
    }
}
