import Foundation
import ShikakuTestSupport
import Testing

/// The clerk's commands that change a registration, end to end through the built binary: each checked for what it
/// prints (text and `--json`), its exit code, and what `show` and `history` then say. Few registries, many checks.
@Suite struct LifeCycleCommandTests {
    /// A day relative to today in Japan, as YYYY-MM-DD.
    static func day(years: Int = 0, months: Int = 0, days: Int = 0) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let date = try #require(calendar.date(byAdding: DateComponents(year: years, month: months, day: days), to: Date()))
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.output)\(result.stderr)")
    }

    /// report, dispose, revoke, relicense, erase and a name change with 旧姓 kept; dates in the era in every table.
    @Test func aRegistrationsEventsAreRecordedShownAndListed() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let other = try office.registerPhysician("100000000030", name: "鈴木 一郎")

        let report = try office.run(["report", id, "--year", "2024", "--workplace", "tokyo", "--date", "2025-01-10"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.output.hasPrefix("Recorded the periodic report of 医籍 第0000001号 (physician:0000001)\n  log entry  4 of 5"), "\(report.output)")
        #expect(report.stderr.isEmpty)
        let late = try office.run(["report", id, "--year", "2022", "--not-practising", "--date", "2023-01-12", "--json"])
        #expect(late.status == 0, "\(late.stderr)")
        let lateObject = try Self.json(late)
        #expect(lateObject["event"] as? String == "report" && lateObject["registration"] as? String == id)
        #expect(lateObject["credential"] is NSNull, "a report issues no credential")

        let warning = try office.run(["dispose", id, "--kind", "warning", "--reason", "診療録の不備", "--date", "2025-02-01"])
        #expect(warning.status == 0, "\(warning.stderr)")
        #expect(warning.output.hasPrefix("Recorded a disposition on 医籍 第0000001号"), "\(warning.output)")
        let notAKind = try office.run(["dispose", id, "--kind", "revocation", "--reason", "x"])
        // A value of the record that is not one of its kinds is bad input data, as an impossible date is.
        #expect(notAKind.status == 3)
        #expect(notAKind.stderr.contains("is not warning or order"), "\(notAKind.stderr)")

        #expect(try office.run(["revoke", id, "--reason", "罰金以上の刑", "--date", "2025-03-01"]).status == 0)
        let revoked = try office.run(["show", id, "--json"])
        #expect(try Self.json(revoked)["status"] as? String == "revoked")
        let relicensed = try office.run(["relicense", id, "--date", "2025-06-01", "--json"])
        #expect(relicensed.status == 0, "\(relicensed.stderr)")
        let relicense = try Self.json(relicensed)
        #expect(relicense["event"] as? String == "relicense")
        #expect((relicense["credential"] as? String)?.hasPrefix("sha256:") == true, "relicensing issues a new credential")
        let shown = try office.run(["show", id])
        #expect(shown.output.contains("status         active"), "\(shown.output)")
        #expect(shown.output.contains("warning decided 2025-02-01: 診療録の不備"), "\(shown.output)")
        #expect(shown.output.contains("2024: filed 2025-01-10"), "\(shown.output)")
        let twice = try office.run(["relicense", id])
        #expect(twice.status == 4, "relicensing an active licence is refused: \(twice.stderr)")

        let credential = office.folder.appendingPathComponent("other.json").path
        #expect(try office.run(["credential", other, "--out", credential]).status == 0)
        let erased = try office.run(["erase", other, "--reason", "death", "--date", "2025-01-10"])
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(erased.output.hasPrefix("Erased 医籍 第0000002号 (physician:0000002)"), "\(erased.output)")
        #expect(try office.run(["show", other]).output.contains("erased on 2025-01-10 (death)"))
        let erasure = try Self.json(try office.run(["show", other, "--json"]))["erasure"] as? [String: Any]
        #expect(erasure?["date"] as? String == "2025-01-10" && erasure?["reason"] as? String == "death")
        let stale = try office.run(["verify", credential])
        #expect(stale.status == 1)
        #expect(stale.output.hasPrefix("NOT VALID"), "\(stale.output)")
        let again = try office.run(["erase", other, "--reason", "death"])
        #expect(again.status == 4, "\(again.stderr)")
        #expect(try office.run(["erase", other, "--reason", "moved"]).status == 3)

        // The history table and the find table give the dates in the era too.
        let history = try office.run(["history", id])
        #expect(history.status == 0)
        for expected in ["register   2019-04-20 (平成31年4月20日)", "report     2025-01-10 (令和7年1月10日)", "relicense  2025-06-01 (令和7年6月1日)"] {
            #expect(history.output.contains(expected), "\(expected)\n\(history.output)")
        }
        let found = try office.run(["find", "--my-number-stdin"], input: "100000000021\n")
        #expect(found.output.contains("physician:0000001  医師  山田 太郎  2019-04-20 (平成31年4月20日)  active"), "\(found.output)")
    }

    @Test func aNameChangeKeepsTheFormerSurnameOnTheNewCredential() throws {
        let office = try CLIFixture()
        let registered = try office.run(
            [
                "register", "registered-nurse", "--name", "佐藤 花子", "--kana", "サトウ ハナコ", "--birth-date", "1994-06-12", "--sex", "female",
                "--exam", "看護師国家試験@2017-02-19", "--date", "2017-04-01", "--my-number-stdin",
            ], input: "100000000013\n")
        #expect(registered.status == 0, "\(registered.stderr)")
        let id = "registered-nurse:0000001"
        let before = office.folder.appendingPathComponent("before.json").path
        #expect(try office.run(["credential", id, "--out", before]).status == 0)
        let amended = try office.run(["amend", id, "--name", "高橋 花子", "--kana", "タカハシ ハナコ", "--keep-former-surname", "--date", "2024-06-01"])
        #expect(amended.status == 0, "\(amended.stderr)")
        #expect(amended.output.hasPrefix("Amended 看護師籍 第0000001号 (registered-nurse:0000001)\n  credential  sha256:"), "\(amended.output)")
        let shown = try office.run(["show", id, "--json"])
        let holder = try #require(try Self.json(shown)["holder"] as? [String: Any])
        #expect(holder["name"] as? String == "高橋 花子")
        #expect(holder["formerSurname"] as? String == "佐藤", "\(holder)")
        #expect(try office.run(["show", id]).output.contains("高橋 花子"))
        let history = try office.run(["history", id])
        #expect(history.output.contains("高橋 花子, 旧姓 佐藤"), "\(history.output)")
        let after = office.folder.appendingPathComponent("after.json").path
        #expect(try office.run(["credential", id, "--out", after]).status == 0)
        let document = try String(contentsOfFile: after, encoding: .utf8)
        #expect(document.contains("高橋 花子") && document.contains("佐藤"), "\(document)")
        #expect(try office.run(["verify", after]).status == 0)
        #expect(try office.run(["verify", before]).output.contains("SUPERSEDED"))
        // And --drop-former-surname stops showing it.
        let dropped = try office.run(["amend", id, "--drop-former-surname", "--json"])
        #expect(dropped.status == 0, "\(dropped.stderr)")
        let plain = try #require(try Self.json(try office.run(["show", id, "--json"]))["holder"] as? [String: Any])
        #expect(plain["formerSurname"] == nil || plain["formerSurname"] is NSNull, "\(plain)")
    }

    /// A periodic report filed after its deadline (15 January of the next year) is shown as late.
    @Test func aLateReportIsShownAsLate() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        #expect(try office.run(["report", id, "--year", "2020", "--workplace", "osaka", "--date", "2021-01-15"]).status == 0)
        #expect(try office.run(["report", id, "--year", "2022", "--workplace", "osaka", "--date", "2023-03-01"]).status == 0)
        let shown = try office.run(["show", id])
        #expect(shown.output.contains("2020: filed 2021-01-15\n"), "\(shown.output)")
        #expect(shown.output.contains("2022: filed 2023-03-01 (late: due 2023-01-15)"), "\(shown.output)")
        let json = try JSONSerialization.jsonObject(with: try office.run(["show", id, "--json"]).stdout) as? [String: Any]
        let reports = try #require(json?["reports"] as? [[String: Any]])
        #expect(reports.map { $0["late"] as? Bool } == [false, true])
    }

    /// A passphrase file that others can read is refused, as a key file is: the passphrase opens every key.
    @Test func aPassphraseFileOthersCanReadIsRefused() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        chmod(office.passphraseFile, 0o644)
        let before = try office.contents()
        let refused = try office.run(["report", id, "--year", "2024", "--workplace", "osaka"])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("chmod 600 \(office.passphraseFile)"), "\(refused.stderr)")
        #expect(try office.contents() == before)
        chmod(office.passphraseFile, 0o600)
        #expect(try office.run(["report", id, "--year", "2024", "--workplace", "osaka"]).status == 0)
    }

    /// `--passphrase-fd N` reads the passphrase from an open descriptor, and beats SHIKAKU_PASSPHRASE_FILE.
    @Test func thePassphraseComesFromAFileDescriptor() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let wrong = try office.file("wrong", Data("not the passphrase\n".utf8))
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LANG": "C.UTF-8", "SHIKAKU_REGISTRY": office.registry,
            "SHIKAKU_PASSPHRASE_FILE": wrong,
        ]
        func report(year: Int, from file: String, descriptor: String = "3") throws -> ProcessResult {
            try Processes.run(
                "/bin/bash", ["-c", "exec \"$0\" report \(id) --year \(year) --workplace osaka --passphrase-fd \(descriptor) 3<\"$1\"", Processes.shikakuPath, file],
                environment: environment)
        }
        let good = try report(year: 2024, from: office.passphraseFile)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.output.hasPrefix("Recorded the periodic report"), "\(good.output)")
        let before = try office.contents()
        let bad = try report(year: 2022, from: wrong)
        #expect(bad.status == 3, "\(bad.stderr)")
        #expect(bad.stderr.contains("passphrase"), "\(bad.stderr)")
        let closed = try report(year: 2022, from: office.passphraseFile, descriptor: "7")
        #expect(closed.status == 3, "\(closed.stderr)")
        #expect(closed.stderr.contains("file descriptor 7"), "\(closed.stderr)")
        #expect(try report(year: 2022, from: office.passphraseFile, descriptor: "seven").status == 2)
        #expect(try office.contents() == before)
    }
}
