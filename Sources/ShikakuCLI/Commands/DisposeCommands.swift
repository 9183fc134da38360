import ShikakuModel

/// `shikaku suspend REG`: 業務停止, 名称の使用の停止 or 業務禁止 for a period the law bounds.
enum SuspendCommand: Command {
    static let path = ["suspend"]
    static let abstract = "Suspend practice or the title for a period (業務停止, 名称の使用の停止, 業務禁止)"
    static let usage = ["suspend REG --from DATE --until DATE --reason TEXT [--kind practice|title|ban] [--date DECIDED]"]
    static let positionals = 1...1
    static let discussion = """
        The kind defaults to the one the qualification's law provides (shikaku catalog CODE lists them). The period
        may not exceed the law's maximum (医師: 3 years; 栄養士: 1 year; …) nor overlap another. During it, the
        credential's suspension bit is set in the published status list.
        """
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("from", value: "DATE", help: "the first day"), OptionSpec("until", value: "DATE", help: "the last day"),
        OptionSpec("reason", value: "TEXT", help: "the grounds (処分理由)"),
        OptionSpec("kind", value: "KIND", help: "practice (業務の停止), title (名称の使用の停止) or ban (業務禁止)"),
        OptionSpec("date", value: "DATE", help: "when it was decided (default: today)"),
    ]
    static let examples = [
        Example(command: "shikaku suspend physician:0000001 --date 2025-03-14 --from 2025-04-01 --until 2025-09-30 --reason '医道審議会答申'",
            explanation: "six months' 医業の停止, decided on 14 March"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let qualification = try Catalog.qualification(id.qualification)
        let kind: DispositionKind
        switch invocation.option("kind") {
        case "practice": kind = .practiceSuspension
        case "title": kind = .titleSuspension
        case "ban": kind = .practiceBan
        case nil:
            guard let only = qualification.dispositions.first(where: \.kind.isTimeBound)?.kind else {
                throw ModelError(.dispositionNotAllowed, "\(qualification.law) provides no suspension for \(qualification.name)")
            }
            kind = only
        case let other?: throw CLIError(.invalidField, "--kind \"\(other)\" is not practice, title or ban", command: path)
        }
        let disposition = Disposition(
            kind: kind, date: try RegistryAccess.date(invocation, "date"),
            from: try RegistryAccess.date(invocation, "from", defaultToday: false),
            until: try RegistryAccess.date(invocation, "until", defaultToday: false), reason: try invocation.required("reason"))
        return try OfficeRun.perform(invocation) { office in try office.change(id, .dispose(disposition)) }
    }
}

/// `shikaku revoke REG`: 取消 / 消除 / 失格処分.
enum RevokeCommand: Command {
    static let path = ["revoke"]
    static let abstract = "Revoke a licence or registration (取消); its credential's revocation bit is set"
    static let usage = ["revoke REG --reason TEXT [--date DATE]"]
    static let positionals = 1...1
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("reason", value: "TEXT", help: "the grounds"), OptionSpec("date", value: "DATE", help: "when (default: today)"),
    ]
    static let examples = [Example(command: "shikaku revoke physician:0000002 --reason '罰金以上の刑'", explanation: "免許の取消し")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let disposition = Disposition(kind: .revocation, date: try RegistryAccess.date(invocation, "date"), reason: try invocation.required("reason"))
        return try OfficeRun.perform(invocation) { office in try office.change(id, .dispose(disposition)) }
    }
}

/// `shikaku dispose REG --kind warning|order`: dispositions that do not change status.
enum DisposeCommand: Command {
    static let path = ["dispose"]
    static let abstract = "Record a warning (戒告) or an order (研修受講命令, 再教育研修命令)"
    static let usage = ["dispose REG --kind warning|order --reason TEXT [--date DATE]"]
    static let positionals = 1...1
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("kind", value: "KIND", help: "warning (戒告) or order"), OptionSpec("reason", value: "TEXT", help: "the grounds"),
        OptionSpec("date", value: "DATE", help: "when (default: today)"),
    ]
    static let examples = [Example(command: "shikaku dispose physician:0000001 --kind warning --reason '…'", explanation: "戒告")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let kind: DispositionKind
        switch try invocation.required("kind") {
        case "warning": kind = .warning
        case "order": kind = .order
        case let other: throw CLIError(.invalidField, "--kind \"\(other)\" is not warning or order (use suspend or revoke for the others)", command: path)
        }
        let disposition = Disposition(kind: kind, date: try RegistryAccess.date(invocation, "date"), reason: try invocation.required("reason"))
        return try OfficeRun.perform(invocation) { office in try office.change(id, .dispose(disposition)) }
    }
}

/// `shikaku reinstate REG`: lift a suspension or ban before its end.
enum ReinstateCommand: Command {
    static let path = ["reinstate"]
    static let abstract = "Lift a suspension or ban before its end"
    static let usage = ["reinstate REG --reason TEXT [--date DATE]"]
    static let positionals = 1...1
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("reason", value: "TEXT", help: "why"), OptionSpec("date", value: "DATE", help: "the day practice resumes (default: today)"),
    ]
    static let examples = [Example(command: "shikaku reinstate physician:0000001 --reason '処分の取消し'", explanation: "practice resumes today")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let reinstatement = Reinstatement(date: try RegistryAccess.date(invocation, "date"), reason: try invocation.required("reason"))
        return try OfficeRun.perform(invocation) { office in try office.change(id, .reinstate(reinstatement)) }
    }
}

/// `shikaku relicense REG`: 再免許 / 再登録 after a revocation.
enum RelicenseCommand: Command {
    static let path = ["relicense"]
    static let abstract = "License a revoked holder again (再免許, 再登録) where the law allows it"
    static let usage = ["relicense REG [--date DATE]"]
    static let positionals = 1...1
    static let options: [OptionSpec] = OfficeRun.options + [OptionSpec("date", value: "DATE", help: "when (default: today)")]
    static let examples = [Example(command: "shikaku relicense physician:0000002", explanation: "再免許")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let date = try RegistryAccess.date(invocation, "date")
        return try OfficeRun.perform(invocation) { office in try office.change(id, .relicense(Relicensing(date: date))) }
    }
}

/// `shikaku reissue REG`: 再交付; the old credential stops verifying.
enum ReissueCommand: Command {
    static let path = ["reissue"]
    static let abstract = "Reissue a lost, damaged or rewritten certificate; the old credential stops verifying"
    static let usage = ["reissue REG --reason lost|damaged|rewrite [--date DATE] [--out FILE]"]
    static let positionals = 1...1
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("reason", value: "REASON", help: "lost (亡失), damaged (破損・汚損) or rewrite (書換え交付)"),
        OptionSpec("date", value: "DATE", help: "when (default: today)"),
    ]
    static let examples = [Example(command: "shikaku reissue physician:0000001 --reason lost --out new.json", explanation: "再交付 after a loss")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let text = try invocation.required("reason")
        guard let reason = Reissue.Reason(rawValue: text) else {
            throw CLIError(.invalidField, "--reason \"\(text)\" is not lost, damaged or rewrite", command: path)
        }
        let date = try RegistryAccess.date(invocation, "date")
        return try OfficeRun.perform(invocation) { office in try office.change(id, .reissue(Reissue(date: date, reason: reason))) }
    }
}

/// `shikaku erase REG`: 登録抹消 on death or on application.
enum EraseCommand: Command {
    static let path = ["erase"]
    static let abstract = "Erase a registration (登録抹消) on death or on application"
    static let usage = ["erase REG --reason death|application [--date DATE]"]
    static let positionals = 1...1
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("reason", value: "REASON", help: "death (死亡・失踪宣告) or application"),
        OptionSpec("date", value: "DATE", help: "when (default: today)"),
    ]
    static let examples = [Example(command: "shikaku erase physician:0000003 --reason death --date 2025-01-10", explanation: "抹消 on death")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let text = try invocation.required("reason")
        guard let reason = Erasure.Reason(rawValue: text) else {
            throw CLIError(.invalidField, "--reason \"\(text)\" is not death or application", command: path)
        }
        let date = try RegistryAccess.date(invocation, "date")
        return try OfficeRun.perform(invocation) { office in try office.change(id, .erase(Erasure(date: date, reason: reason))) }
    }
}
