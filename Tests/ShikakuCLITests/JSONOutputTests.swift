import Foundation
@testable import ShikakuCLI
import ShikakuTestSupport
import Testing

/// `--json` on every command but `help`: JSON on standard output (JSON Lines for `batch` and `verify`), nothing
/// on standard error, exit 0. The list of commands checked must cover `CLI.commands`.
@Suite struct JSONOutputTests {
    @Test func everyCommandButHelpPrintsJSON() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let since = try LifeCycleCommandTests.day(years: -4, months: -7)
        let training = try LifeCycleCommandTests.day(days: -20)
        let credential = office.folder.appendingPathComponent("c.json").path
        let lines = ["batch", "verify"]
        let invocations: [(words: [String], input: String?)] = [
            (["init", "--registry", office.folder.appendingPathComponent("second").path], nil),
            (["register", "care-manager", "--as", "tokyo", "--name", "鈴木 一郎", "--kana", "スズキ イチロウ", "--birth-date", "1975-01-15",
              "--practice", "work=相談援助業務:8:1900", "--exam", "介護支援専門員実務研修受講試験@2019-10-13",
              "--training", "介護支援専門員実務研修@2020-03-10", "--date", since, "--my-number-stdin"], "100000000030\n"),
            (["renew", "care-manager:13000001", "--as", "tokyo", "--training-date", training], nil),
            (["amend", id, "--addition", "clinical-training", "--date", "2021-04-30"], nil),
            (["report", id, "--year", "2024", "--workplace", "tokyo"], nil),
            (["suspend", id, "--from", "2099-01-10", "--until", "2099-06-30", "--reason", "x"], nil),
            (["reinstate", id, "--reason", "x"], nil),
            (["dispose", id, "--kind", "warning", "--reason", "x"], nil),
            (["revoke", id, "--reason", "x"], nil),
            (["relicense", id], nil),
            (["reissue", id, "--reason", "lost"], nil),
            (["show", id], nil),
            (["history", id], nil),
            (["find", "--my-number-stdin"], "100000000021\n"),
            (["credential", id, "--out", credential], nil),
            (["verify", credential], nil),
            (["log", "checkpoint"], nil),
            (["log", "prove", id], nil),
            (["log", "consistency", "2", "5"], nil),
            (["audit"], nil),
            (["export", office.folder.appendingPathComponent("public").path], nil),
            (["index", "rebuild"], nil),
            (["keys", "list"], nil),
            (["keys", "rotate"], nil),
            (["batch", "report", try office.file("r.csv", Data("registration,year,workplace\n\(id),2022,osaka\n".utf8))], nil),
            (["catalog"], nil),
            (["erase", id, "--reason", "application"], nil),
        ]
        for (words, input) in invocations {
            let result = try office.run(words + ["--json"], input: input)
            #expect(result.status == 0, "\(words): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(words): \(result.stderr)")
            let documents = lines.contains(words[0]) ? result.output.split(separator: "\n").map(String.init) : [result.output]
            #expect(!documents.isEmpty, "\(words)")
            for document in documents {
                #expect((try? JSONSerialization.jsonObject(with: Data(document.utf8))) != nil, "\(words) printed no JSON: \(document)")
            }
        }
        let covered = Set(invocations.map { CLI.find($0.words)?.name ?? "?" })
        let commands = Set(CLI.commands.map { $0.name }).subtracting(["help"])
        #expect(covered == commands, "not checked: \(commands.subtracting(covered).sorted())")
    }
}
