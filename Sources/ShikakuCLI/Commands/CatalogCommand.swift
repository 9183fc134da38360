import ShikakuJSON
import ShikakuModel

/// `shikaku catalog [CODE]`: the 32 qualifications, or one in full.
enum CatalogCommand: Command {
    static let path = ["catalog"]
    static let abstract = "List the 32 qualifications, or show one in full"
    static let usage = ["catalog [--json]", "catalog CODE|NAME [--json]"]
    static let positionals = 0...1
    static let discussion = """
        Without an argument, a table of all 32 qualifications: code, name, register, who keeps it, and whether
        registrations expire. With a code (physician) or a Japanese name (医師), everything the catalog holds
        about that qualification: law, authority, register, certificate, renewal, periodic report,
        prerequisites, additions, the dispositions its law allows, relicensing, and the facts marked uncertain.
        The catalog is Registry/qualifications.json, built into shikaku.
        """
    static let examples = [
        Example(command: "shikaku catalog", explanation: "the table of all 32"),
        Example(command: "shikaku catalog care-manager", explanation: "介護支援専門員 in full"),
        Example(command: "shikaku catalog 医師 --json", explanation: "医師 as JSON, as the catalog file holds it"),
        Example(command: "shikaku catalog --json | jq length", explanation: "prints 32"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let console = invocation.console
        guard let name = invocation.positionals.first else {
            if invocation.json {
                console.write(json: Catalog.json)
            } else {
                console.write(table())
            }
            return .success
        }
        let qualification = try Catalog.find(name)
        if invocation.json {
            console.write(json: qualification.json)
        } else {
            console.write(details(qualification))
        }
        return .success
    }

    static func table() -> String {
        var table = TextTable(["No", "Code", "資格", "Register", "Kept by", "Validity"])
        for qualification in Catalog.all {
            table.append([
                String(qualification.number), qualification.code.rawValue, qualification.name, qualification.register,
                qualification.registeredBy == .prefectural ? "prefecture" : "national",
                qualification.validity.renewal.map { "card, \($0.years) years" } ?? "permanent",
            ])
        }
        return table.render()
    }

    static func details(_ q: Qualification) -> String {
        var fields = FieldList()
        fields.append("code", "\(q.code) (No. \(q.number))")
        fields.append("law", q.law + (q.lawNumber.map { " (\($0))" } ?? ""))
        fields.append("authority", "\(q.authority) — kept by a \(q.registeredBy.rawValue) office in Shikaku")
        fields.append("register", "\(q.register), kept by \(q.registerKeeper)")
        fields.append("registration body", q.registrationBody ?? "none")
        fields.append("applications", q.applicationRoute)
        fields.append("certificate", q.certificate)
        let format = q.registrationNumber
        let example = format.format(sequence: 123, prefecture: format.prefecturePrefix ? Prefecture.withCode(13) : nil)
        fields.append(
            "number", "\(format.digits) digits\(format.prefecturePrefix ? " after the prefecture code" : ""), e.g. \(q.code):\(example)")
        fields.append("validity", validity(q.validity))
        fields.append("periodic report", q.periodicReport.map(report) ?? "none")
        fields.append("prerequisites", q.prerequisites.map(requirement).joined(separator: "\n"), default: "none")
        fields.append(
            "additions",
            q.additions.map { "\($0.name) [\($0.code)]" + ($0.minYears.map { ", ≥ \($0) years after registration" } ?? "") }
                .joined(separator: "\n"), default: "none")
        fields.append("dispositions", q.dispositions.map(disposition).joined(separator: "\n"))
        fields.append(
            "relicensing",
            q.relicense.map { "\($0.name)" + ($0.waitYears.map { ", \($0) years after revocation" } ?? "") + article($0.article) }
                ?? "none")
        fields.append("records 性別", q.recordsSex ? "yes" : "no")
        fields.append("uncertain", q.uncertain.map { "\($0.field): \($0.note)" }.joined(separator: "\n"), default: "none")
        return "\(q.name)（\(q.reading)）— \(q.englishName)\n" + fields.render()
    }

    private static func article(_ article: String?) -> String { article.map { " (\($0))" } ?? "" }

    private static func validity(_ validity: Validity) -> String {
        guard let renewal = validity.renewal else { return "permanent" }
        return "card valid \(renewal.years) years\(article(renewal.article)); renewed after \(renewal.training) from "
            + "\(renewal.opensMonthsBefore) months before expiry, never after it\(article(renewal.renewalArticle)); "
            + "after a lapse, a new card after \(renewal.afterLapse)"
    }

    private static func report(_ report: PeriodicReport) -> String {
        "\(report.name) every \(report.everyYears) years: status at \(report.asOf), due by \(report.dueBy) of the next year"
            + (report.whilePractisingOnly ? ", while practising" : "") + article(report.article)
    }

    private static func requirement(_ requirement: Requirement) -> String {
        requirement.summary + article(requirement.article)
    }

    private static func disposition(_ rule: DispositionRule) -> String {
        let bound = rule.kind.isTimeBound ? (rule.maxYears.map { ", at most \($0) year\($0 == 1 ? "" : "s")" } ?? ", for a set period") : ""
        return "\(rule.name) [\(rule.kind.rawValue)\(bound)]\(article(rule.article))"
    }
}
