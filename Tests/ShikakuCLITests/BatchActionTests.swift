import Foundation
import ShikakuTestSupport
import Testing

/// Every batch action end to end on one registry — register (CSV and JSON Lines), renew, report, suspend,
/// reinstate, revoke, reissue, erase — plus `renew` itself, `--atomic` with one bad row, and the progress bar,
/// which goes to standard error only when it is a terminal.
@Suite struct BatchActionTests {
    static func rows(_ result: ProcessResult) -> [BatchCommandTests.Row] { BatchCommandTests.rows(result) }

    static func show(_ office: CLIFixture, _ id: String) throws -> [String: Any] {
        try LifeCycleCommandTests.json(try office.run(["show", id, "--json"]))
    }

    @Test func everyActionRunsFromAFileAndABadRowSpoilsNoOther() throws {
        let office = try CLIFixture()
        let since = try LifeCycleCommandTests.day(years: -4, months: -7)
        var managers = "qualification,myNumber,name,kana,birthDate,practice,exams,trainings,date\n"
        for (index, name) in ["鈴木 一郎", "田中 次郎", "中村 三郎"].enumerated() {
            managers += "care-manager,\(CLIFixture.myNumber(50_000_000 + index)),\(name),スズキ イチロウ,1975-01-15,work=相談援助業務:8:1900,"
                + "介護支援専門員実務研修受講試験@2019-10-13,介護支援専門員実務研修@2020-03-10,\(since)\n"
        }
        let registered = try office.run(["batch", "register", try office.file("managers.csv", Data(managers.utf8)), "--as", "tokyo"])
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(registered.output.hasPrefix("line 2: done care-manager:13000001 sha256:"), "\(registered.output)")
        #expect(registered.output.hasSuffix("3 rows: 3 done, 0 done before, 0 failed\n"), "\(registered.output)")
        // JSON Lines in: four physicians.
        let physicians = (0..<4).map { BatchCommandTests.physicianJSON(100 + $0) }.joined()
        let jsonl = try office.run(["batch", "register", try office.file("physicians.jsonl", Data(physicians.utf8)), "--json"])
        #expect(jsonl.status == 0, "\(jsonl.stderr)")
        #expect(Self.rows(jsonl).map(\.registration) == (1...4).map { "physician:000000\($0)" })

        // renew, one at a time: the new card follows on from the old one for 5 years.
        let card = try #require(try Self.show(office, "care-manager:13000001")["card"] as? [String: String])
        let training = try LifeCycleCommandTests.day(days: -20)
        let notTokyo = try office.run(["renew", "care-manager:13000001", "--training-date", training])
        #expect(notTokyo.status == 4, "the ministry does not keep this register: \(notTokyo.stderr)")
        #expect(notTokyo.stderr.contains("does not register"), "\(notTokyo.stderr)")
        let renewed = try office.run(["renew", "care-manager:13000001", "--as", "tokyo", "--training-date", training])
        #expect(renewed.status == 0, "\(renewed.stderr)")
        #expect(renewed.output.hasPrefix("Renewed the card of 介護支援専門員資格登録簿 第13000001号 (care-manager:13000001)\n  credential  sha256:"), "\(renewed.output)")
        let newCard = try #require(try Self.show(office, "care-manager:13000001")["card"] as? [String: String])
        let oldEnd = try #require(card["validUntil"])
        #expect(newCard["validUntil"] == String(Int(oldEnd.prefix(4))! + 5) + oldEnd.dropFirst(4), "\(card) → \(newCard)")
        let tooEarly = try office.run(["renew", "care-manager:13000001", "--as", "tokyo", "--training-date", training])
        #expect(tooEarly.status == 4, "a card 5 years from its end is not yet renewable: \(tooEarly.stderr)")

        // batch renew: a registration that does not exist fails its row; the rows around it are done.
        let renewals = "registration,trainingDate\ncare-manager:13000002,\(training)\ncare-manager:13000099,\(training)\ncare-manager:13000003,\(training)\n"
        let renewFile = try office.file("renewals.csv", Data(renewals.utf8))
        let batchRenew = try office.run(["batch", "renew", renewFile, "--as", "tokyo"])
        #expect(batchRenew.status == 3, "\(batchRenew.stderr)")
        let renewLines = batchRenew.output.split(separator: "\n")
        #expect(renewLines.count == 4, "\(batchRenew.output)")
        #expect(renewLines[0].hasPrefix("line 2: done care-manager:13000002 sha256:"))
        #expect(renewLines[1].hasPrefix("line 3: error input.unknown-registration"), "\(renewLines[1])")
        #expect(renewLines[2].hasPrefix("line 4: done care-manager:13000003 sha256:"))
        #expect(renewLines[3] == "3 rows: 2 done, 0 done before, 1 failed")
        #expect(batchRenew.stderr.isEmpty, "\(batchRenew.stderr)")
        let rerun = try office.run(["batch", "renew", renewFile, "--as", "tokyo", "--json"])
        #expect(Self.rows(rerun).map(\.outcome) == ["already-done", "error", "already-done"])
        #expect(Self.rows(rerun).map(\.registration) == ["care-manager:13000002", nil, "care-manager:13000003"])

        // report (JSON Lines), suspend, reinstate, revoke.
        let reports = #"{"registration": "physician:0000001", "year": 2024, "workplace": "tokyo", "date": "2025-01-10"}"# + "\n"
            + #"{"registration": "physician:0000002", "year": 2024, "practising": false, "date": "2025-01-12"}"# + "\n"
        let report = try office.run(["batch", "report", try office.file("reports.jsonl", Data(reports.utf8)), "--json"])
        #expect(report.status == 0, "\(report.output)\(report.stderr)")
        #expect(Self.rows(report).map(\.outcome) == ["done", "done"])
        #expect((try Self.show(office, "physician:0000001")["reports"] as? [Any])?.count == 1)
        for (action, csv) in [
            ("suspend", "registration,from,until,reason\nphysician:0000001,2099-01-10,2099-06-30,医道審議会の答申\n"),
            ("reinstate", "registration,reason\nphysician:0000001,処分の取消し\n"),
            ("revoke", "registration,reason\nphysician:0000002,罰金以上の刑\n"),
        ] {
            let result = try office.run(["batch", action, try office.file("\(action).csv", Data(csv.utf8)), "--json"])
            #expect(result.status == 0, "\(action): \(result.output)\(result.stderr)")
            #expect(Self.rows(result).map(\.outcome) == ["done"], "\(action): \(result.output)")
        }
        let events = try #require(try JSONSerialization.jsonObject(with: try office.run(["history", "physician:0000001", "--json"]).stdout) as? [[String: Any]])
        #expect(events.compactMap { ($0["event"] as? [String: Any])?["kind"] as? String } == ["register", "report", "dispose", "reinstate"])
        #expect(try Self.show(office, "physician:0000002")["status"] as? String == "revoked")
        // The suspension lifted before it began: show --json says when.
        let lifted = (try Self.show(office, "physician:0000001")["dispositions"] as? [[String: Any]])?.first?["liftedOn"] as? String
        #expect(lifted != nil)

        // reissue --atomic with one bad row: nothing is written, and the good row says so.
        let before = try office.contents()
        let badReissue = try office.file("reissue-bad.csv", Data("registration,reason\nphysician:0000003,lost\nphysician:0000004,stolen\n".utf8))
        let atomic = try office.run(["batch", "reissue", badReissue, "--atomic"])
        #expect(atomic.status == 3, "\(atomic.stderr)")
        #expect(atomic.output.hasPrefix("line 2: not-written\nline 3: error input.invalid-field [reason]: \"stolen\" is not lost, damaged or rewrite\n"), "\(atomic.output)")
        #expect(atomic.stderr == "Nothing was written: --atomic, and 1 row failed (1 was fine). Fix the failed rows and run the file again.\n", "\(atomic.stderr)")
        #expect(try office.contents() == before)
        let credentials = try ["physician:0000003", "physician:0000004"].map { try Self.show(office, $0)["credential"] as? String }
        let goodReissue = try office.file("reissue.csv", Data("registration,reason\nphysician:0000003,lost\nphysician:0000004,damaged\n".utf8))
        let reissued = try office.run(["batch", "reissue", goodReissue, "--atomic", "--json"])
        #expect(reissued.status == 0, "\(reissued.stderr)")
        #expect(Self.rows(reissued).map(\.outcome) == ["done", "done"])
        let after = try ["physician:0000003", "physician:0000004"].map { try Self.show(office, $0)["credential"] as? String }
        #expect(after[0] != credentials[0] && after[1] != credentials[1], "a reissue issues new credentials")

        // erase, then again: done once.
        let eraseFile = try office.file("erase.csv", Data("registration,reason,date\nphysician:0000003,death,2025-02-01\n".utf8))
        #expect(Self.rows(try office.run(["batch", "erase", eraseFile, "--json"])).map(\.outcome) == ["done"])
        #expect(Self.rows(try office.run(["batch", "erase", eraseFile, "--json"])).map(\.outcome) == ["already-done"])
        #expect((try Self.show(office, "physician:0000003")["status"] as? String) == "erased")
        let audit = try office.run(["audit"])
        #expect(audit.status == 0, "\(audit.output)")
    }

    /// The progress bar is drawn on a terminal, and not a byte of it otherwise.
    @Test func progressGoesToStandardErrorOnlyWhenItIsATerminal() throws {
        let office = try CLIFixture()
        let piped = try office.run(["batch", "register", try office.physicians(40, named: "piped.csv")])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stderr.isEmpty, "\(piped.stderr)")
        #expect(piped.output.hasSuffix("40 rows: 40 done, 0 done before, 0 failed\n"))

        let terminal = try Processes.shikakuWithTerminalStandardError(
            ["batch", "register", try office.physicians(40, from: 40, named: "terminal.csv")],
            environment: ["SHIKAKU_REGISTRY": office.registry, "SHIKAKU_PASSPHRASE_FILE": office.passphraseFile])
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(terminal.output.hasSuffix("40 rows: 40 done, 0 done before, 0 failed\n"), "the results stay on standard output")
        #expect(!terminal.output.contains("\u{1B}"), "no progress on standard output")
        #expect(terminal.stderr.contains("\r\u{1B}[2K["), "\(terminal.stderr.debugDescription)")
        #expect(terminal.stderr.contains(/\] +\d+%  \d+ rows  [\d,]+ rows\/s  (about \d+:\d\d left|estimating time left)/), "\(terminal.stderr.debugDescription)")
        #expect(terminal.stderr.hasSuffix("\r\u{1B}[2K"), "the bar is erased at the end: \(terminal.stderr.debugDescription)")
    }
}
