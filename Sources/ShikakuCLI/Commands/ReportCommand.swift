import ShikakuModel

/// `shikaku report REG`: 医師届 / 業務従事者届.
enum ReportCommand: Command {
    static let path = ["report"]
    static let abstract = "Record a periodic status report (医師届, 業務従事者届)"
    static let usage = ["report REG --year YEAR [--workplace PREFECTURE | --not-practising] [--date FILED]"]
    static let positionals = 1...1
    static let discussion = """
        The report gives the status on 31 December of a reporting year (every 2 years) and is due by 15 January;
        later filings are recorded as late. Nurses file only while practising.
        """
    static let options: [OptionSpec] = OfficeRun.options + [
        OptionSpec("year", value: "YEAR", help: "the reporting year (status on 31 December)"),
        OptionSpec("workplace", value: "PREFECTURE", help: "the prefecture of the workplace (就業地)"),
        OptionSpec("not-practising", help: "the holder was not practising"),
        OptionSpec("date", value: "DATE", help: "when it was filed (default: today)"),
    ]
    static let examples = [Example(command: "shikaku report physician:0000001 --year 2024 --workplace tokyo", explanation: "医師届 for 2024")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let yearText = try invocation.required("year")
        guard let year = Int(yearText), (1900...9999).contains(year) else {
            throw CLIError(.invalidField, "--year \"\(yearText)\" is not a year (write it as 2024)", command: path)
        }
        let workplace = try invocation.option("workplace").map { text -> Prefecture in
            guard let prefecture = Prefecture.named(text) else { throw CLIError(.invalidField, "--workplace \"\(text)\" is not a prefecture", command: path) }
            return prefecture
        }
        let filing = PeriodicReportFiling(
            year: year, filedOn: try RegistryAccess.date(invocation, "date"), practising: !invocation.flag("not-practising"), workplace: workplace)
        return try OfficeRun.perform(invocation) { office in try office.change(id, .report(filing)) }
    }
}
