import Foundation
import ShikakuCrypto
import Synchronization
import ShikakuTestSupport
import Testing

/// `shikaku batch` end to end: CSV dialects and their errors, re-runs, dry runs, and a batch killed
/// with SIGKILL again and again.
@Suite struct BatchCommandTests {
    struct Row {
        let row: Int
        let outcome: String
        let registration: String?
        var logIndex: Int? = nil
        var code: String? = nil
        var field: String? = nil
    }

    static func rows(_ result: ProcessResult) -> [Row] {
        result.output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let row = object["row"] as? Int, let outcome = object["outcome"] as? String
            else { return nil }
            return Row(
                row: row, outcome: outcome, registration: object["registration"] as? String, logIndex: object["logIndex"] as? Int,
                code: object["code"] as? String,
                field: object["field"] as? String)
        }
    }

    /// The summary line of a `--json` batch.
    static func summary(_ result: ProcessResult) -> [String: Any]? {
        result.output.split(separator: "\n").lazy.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["summary"] as? [String: Any]
        }.first
    }

    /// The error object a `--json` command wrote to standard error.
    static func error(_ result: ProcessResult) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any]
    }

    /// A CSV row registering a physician whose My Number is made from `serial`.
    static func physician(_ serial: Int) -> String {
        "physician,\(CLIFixture.myNumber(40_000_000 + serial)),山田 太郎\(serial),ヤマダ タロウ,1990-01-01,male,医師国家試験@2019-02-10,2019-04-20\n"
    }

    /// The same physician as a JSON Lines row.
    static func physicianJSON(_ serial: Int) -> String {
        #"{"qualification": "physician", "myNumber": "\#(CLIFixture.myNumber(40_000_000 + serial))", "name": "山田 太郎\#(serial)", "#
            + #""kana": "ヤマダ タロウ", "birthDate": "1990-01-01", "sex": "male", "exams": "医師国家試験@2019-02-10", "date": "2019-04-20"}"# + "\n"
    }

    static let header = "qualification,myNumber,name,kana,birthDate,sex,exams,date\n"

    @Test func aCSVWithBOMAndCRLFRegistersAndARerunWritesNothing() throws {
        let office = try CLIFixture()
        let plain = try String(contentsOfFile: try office.physicians(3), encoding: .utf8)
        let file = try office.file("bom.csv", Data([0xEF, 0xBB, 0xBF]) + Data(plain.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let before = try office.contents()
        let dry = try office.run(["batch", "register", file, "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(Self.rows(dry).map(\.outcome) == ["checked", "checked", "checked"])
        #expect(try office.contents() == before)
        #expect(try office.logSize() == 2)
        let first = try office.run(["batch", "register", file, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Self.rows(first).map(\.outcome) == ["done", "done", "done"])
        #expect(Self.rows(first).map(\.registration) == ["physician:0000001", "physician:0000002", "physician:0000003"])
        #expect(try office.contents() != before)
        let written = try office.contents()
        let again = try office.run(["batch", "register", file, "--json"])
        #expect(again.status == 0)
        #expect(Self.rows(again).map(\.outcome) == ["already-done", "already-done", "already-done"])
        #expect(Self.summary(first)?["written"] as? Bool == true)
        #expect(Self.summary(again)?["written"] as? Bool == false, "rows done before write nothing")
        // Each row done before names the registration and log entry its first run wrote.
        #expect(Self.rows(again).map(\.registration) == Self.rows(first).map(\.registration))
        #expect(Self.rows(again).map(\.logIndex) == Self.rows(first).map(\.logIndex) && Self.rows(first).allSatisfy { $0.logIndex != nil })
        #expect(try office.contents() == written)
    }

    /// A row the office refuses names the field at fault: a registration the registry lacks, a date after
    /// today, a value the law does not know.
    @Test func aRefusedRowNamesItsField() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let file = try office.file(
            "revoke.csv", Data("registration,reason,date\nphysician:0000099,x,2024-01-01\n\(id),x,2099-01-01\n\(id),x,2024-01-01\n".utf8))
        let result = try office.run(["batch", "revoke", file, "--json"])
        #expect(result.status == 3, "\(result.stderr)")
        let rows = Self.rows(result)
        #expect(rows.map(\.outcome) == ["error", "error", "done"])
        #expect(rows.map(\.field) == ["registration", "date", nil])
        #expect(rows.map(\.code) == ["input.unknown-registration", "input.future-date", nil])
    }

    /// A JSON Lines row gives numbers only for a year and booleans only for yes-or-no columns: a registration
    /// or My Number written as a number is refused, naming the field.
    @Test func jsonLinesValuesOfTheWrongTypeAreRefused() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let rows = [
            #"{"registration": "\#(id)", "year": 2024, "workplace": "osaka", "practising": true}"#,
            #"{"registration": "\#(id)", "year": "2022", "workplace": "osaka", "practising": "yes"}"#,
            #"{"registration": 12, "year": 2020, "workplace": "osaka"}"#,
            #"{"registration": "\#(id)", "year": 2020, "workplace": "osaka", "practising": 1}"#,
        ]
        let file = try office.file("reports.jsonl", Data((rows.joined(separator: "\n") + "\n").utf8))
        let result = try office.run(["batch", "report", file, "--json"])
        #expect(result.status == 3, "\(result.stderr)")
        let answered = Self.rows(result)
        #expect(answered.map(\.outcome) == ["done", "done", "error", "error"], "\(result.output)")
        #expect(answered.map(\.field) == [nil, nil, "registration", "practising"])
        #expect(answered.map(\.code) == [nil, nil, "input.invalid-field", "input.invalid-field"])
    }

    /// Each malformed row on its own: exit 3, the row and field named with a stable code, and nothing written.
    @Test(arguments: [
        ("columns", Data("registration,trainingDate\ncare-manager:13000001,2026-01-01,extra\n".utf8), 2, "column 3", "input.malformed-row"),
        ("few", Data("registration,trainingDate\ncare-manager:13000001\n".utf8), 2, "trainingDate", "input.malformed-row"),
        ("utf8", Data("registration,trainingDate\n".utf8) + Data([0x63, 0xFF, 0x2C, 0x0A]), 2, "registration", "input.malformed-row"),
        ("quote", Data("registration,trainingDate\ncare-\"manager:13000001,2026-01-01\n".utf8), 2, "registration", "input.malformed-row"),
        ("date", Data("registration,trainingDate\ncare-manager:13000001,2031-13-40\n".utf8), 2, "trainingDate", "input.invalid-date"),
        ("missing", Data("registration,trainingDate\n\ncare-manager:13000001,\n".utf8), 3, "trainingDate", "input.missing-field"),
    ])
    func aMalformedRowIsNamedWithItsFieldAndNothingIsWritten(name: String, bytes: Data, line: Int, field: String, code: String) throws {
        let office = try CLIFixture()
        let file = try office.file("\(name).csv", bytes)
        let before = try office.contents()
        let result = try office.run(["batch", "renew", file, "--as", "tokyo", "--json"])
        #expect(result.status == 3, "\(result.stderr)\(result.output)")
        let rows = Self.rows(result)
        #expect(rows.count == 1, "\(result.output)")
        #expect(rows.first?.row == line, "\(result.output)")
        #expect(rows.first?.field == field, "\(result.output)")
        #expect(rows.first?.code == code, "\(result.output)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(try office.contents() == before)
        // People read the same: the line, the field in brackets, the code.
        let text = try office.run(["batch", "renew", file, "--as", "tokyo"])
        #expect(text.status == 3)
        #expect(text.output.hasPrefix("line \(line): error \(code) [\(field)]: "), "\(text.output)")
    }

    /// A malformed row fails alone: the good rows before and after it are done, in CSV and in JSON Lines.
    /// A quoted field left open to the end stops reading: what came before is committed (not with --atomic).
    @Test func aMalformedRowFailsAloneAndAnUnclosedQuoteStopsAfterCommittingTheRowsBeforeIt() throws {
        let office = try CLIFixture()
        let initial = try office.logSize()
        var csv = Data((Self.header + Self.physician(0) + "physician,\(CLIFixture.myNumber(40_000_090)),山田\n" + Self.physician(1)).utf8)
        csv += Data("physician,\(CLIFixture.myNumber(40_000_091)),山".utf8) + Data([0xFF]) + Data(",ヤマダ,1990-01-01,male,,\n".utf8)
        csv += Data((Self.physician(2) + Self.physician(3).dropLast() + ",extra\n" + Self.physician(4)).utf8)
        let mixed = try office.run(["batch", "register", try office.file("mixed.csv", csv), "--json"])
        #expect(mixed.status == 3, "\(mixed.stderr)")
        #expect(mixed.stderr.isEmpty, "\(mixed.stderr)")
        let rows = Self.rows(mixed)
        #expect(rows.map(\.outcome) == ["done", "error", "done", "error", "done", "error", "done"])
        #expect(rows.map(\.row) == [2, 3, 4, 5, 6, 7, 8])
        #expect(rows.filter { $0.outcome == "error" }.map(\.field) == ["kana", "name", "column 9"])
        #expect(rows.compactMap(\.registration) == ["physician:0000001", "physician:0000002", "physician:0000003", "physician:0000004"])
        #expect(Self.summary(mixed)?["failed"] as? Int == 3)
        #expect(try office.logSize() == initial + 4)

        let lines = Self.physicianJSON(5) + #"{"qualification": "physician","# + "\n" + "[1, 2]\n" + #"{"name": ["山田"]}"# + "\n" + Self.physicianJSON(6)
        let jsonl = try office.run(["batch", "register", try office.file("mixed.jsonl", Data(lines.utf8)), "--json"])
        #expect(jsonl.status == 3, "\(jsonl.stderr)")
        #expect(Self.rows(jsonl).map(\.outcome) == ["done", "error", "error", "error", "done"])
        #expect(Self.rows(jsonl).map(\.code).dropFirst().dropLast() == ["input.malformed-row", "input.malformed-row", "input.malformed-row"])
        #expect(Self.rows(jsonl).map(\.field)[3] == "name")
        #expect(try office.logSize() == initial + 6)

        // A quote opened on line 4 and never closed: the file cannot be read past it.
        let unclosed = try office.file("unclosed.csv", Data((Self.header + Self.physician(7) + Self.physician(8) + "physician,\"山田\n" + Self.physician(9)).utf8))
        let atomic = try office.run(["batch", "register", unclosed, "--atomic"])
        #expect(atomic.status == 3, "\(atomic.stderr)")
        #expect(atomic.stderr.contains("line 4: a quoted field opened here is never closed"), "\(atomic.stderr)")
        #expect(atomic.stderr.contains("nothing was written (--atomic)"), "\(atomic.stderr)")
        #expect(atomic.output.contains("line 2: not-written"), "\(atomic.output)")
        #expect(try office.logSize() == initial + 6)
        let stopped = try office.run(["batch", "register", unclosed, "--json"])
        #expect(stopped.status == 3, "\(stopped.stderr)")
        #expect(Self.rows(stopped).map(\.outcome) == ["done", "done"])
        #expect(Self.summary(stopped)?["stoppedAtLine"] as? Int == 4)
        #expect(Self.error(stopped)?["code"] as? String == "input.malformed-file")
        #expect((Self.error(stopped)?["message"] as? String)?.contains("the 2 rows done before it were committed") == true, "\(stopped.stderr)")
        #expect(try office.logSize() == initial + 8)
    }

    /// A row's request key, by which a later run knows the row was done, is SHA-256 over the action and the
    /// row's key column, or else its fields as RFC 8785 JSON (names in order, strings escaped): registries
    /// already hold keys made so, and a run must still know their rows, so these bytes must never change.
    @Test func aRowsRequestKeyIsTheHashOfItsKeyOrItsCanonicalFields() throws {
        let office = try CLIFixture()
        let id = try office.registerPhysician()
        let suspend = "until,registration,reason,from\n2099-06-30,\(id),\"答申 \"\"A\"\" \\ b\",2099-01-10\n"
        let report = "key,registration,year,workplace\nfiled-2024,\(id),2024,tokyo\n"
        for (action, csv) in [("suspend", suspend), ("report", report)] {
            let result = try office.run(["batch", action, try office.file("\(action).csv", Data(csv.utf8))])
            #expect(result.status == 0, "\(action): \(result.output)\(result.stderr)")
        }
        let fields = #"{"from":"2099-01-10","reason":"答申 \"A\" \\ b","registration":"\#(id)","until":"2099-06-30"}"#
        let journal = try Data(contentsOf: URL(fileURLWithPath: office.registry + "/journal"))
        for material in ["shikaku-batch-v1\nsuspend\nrow:" + fields, "shikaku-batch-v1\nreport\nkey:filed-2024"] {
            let key = SHA256.hash(Array(material.utf8)).hex
            #expect(journal.range(of: Data(#""request":"\#(key)""#.utf8)) != nil, "no record under \(material)")
        }
    }

    /// A row repeated in the same file is done once, whether its twin is in the same group or was committed
    /// groups before (the run forgets committed rows' keys and asks the index, so its memory does not grow).
    @Test func aRowRepeatedInTheFileIsDoneOnce() throws {
        let office = try CLIFixture()
        let initial = try office.logSize()
        var text = "qualification,myNumber,name,kana,birthDate,sex,exams,date\n"
        for n in 0..<2_500 { text += BatchCommandTests.physician(n) }
        text += BatchCommandTests.physician(3) + BatchCommandTests.physician(2_499)
        let result = try office.run(["batch", "register", try office.file("repeats.csv", Data(text.utf8)), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = Self.rows(result)
        #expect(rows.count == 2_502)
        #expect(rows.prefix(2_500).allSatisfy { $0.outcome == "done" })
        // Row 5 (the fourth physician) is two groups before its twin, row 2,501 in its twin's group: neither is
        // committed when its twin is checked, and both twins name the registration once it is.
        #expect(rows[2_500].outcome == "already-done" && rows[2_500].registration == rows[3].registration, "\(rows[2_500])")
        #expect(rows[2_501].outcome == "already-done" && rows[2_501].registration == rows[2_499].registration, "\(rows[2_501])")
        #expect(try office.logSize() == initial + 2_500)
    }

    /// A real batch killed with SIGKILL 20 times at random moments, then run to the end: every row it ever
    /// reported done is there under the same number, no row is written twice, and the registry audits clean.
    @Test func aBatchKilledAgainAndAgainCompletesWithoutDuplicates() throws {
        let office = try CLIFixture()
        let initial = try office.logSize()
        let count = 12_000
        let file = try office.physicians(count)
        var random = SplitMix64(seed: 20_261_125)
        var reported: [Int: String] = [:]
        var killed = 0
        var runs = 0
        // Until 20 runs were killed: a run that finished before its kill does not count.
        while killed < 20 && runs < 40 {
            runs += 1
            let result = try office.run(["batch", "register", file, "--json"], killAfter: 0.2 + Double(random.next() % 600) / 1_000)
            if result.status != 0 { killed += 1 }
            #expect(result.status == 0 || result.status == -1 || result.status == Int32(SIGKILL), "\(result.stderr)")
            for row in Self.rows(result) where row.outcome == "done" {
                #expect(reported[row.row] == nil, "row \(row.row) was written twice")
                reported[row.row] = row.registration
            }
            #expect(!result.stderr.contains("Error"), "\(result.stderr)")
        }
        #expect(killed == 20, "only \(killed) of \(runs) runs were killed before they finished")
        let final = try office.run(["batch", "register", file, "--json"])
        #expect(final.status == 0, "\(final.stderr)")
        let rows = Self.rows(final)
        #expect(rows.count == count)
        for row in rows {
            if let earlier = reported[row.row] {
                #expect(row.outcome == "already-done" && row.registration == earlier, "row \(row.row)")
            } else {
                reported[row.row] = row.registration
            }
        }
        #expect(Set(reported.values).count == count)
        #expect(try office.logSize() == initial + count)
        let audit = try office.run(["audit"])
        #expect(audit.status == 0, "\(audit.output)\(audit.stderr)")
    }
}

/// Four writers at once on one registry, and readers while they write.
@Suite struct ConcurrentWriterTests {
    @Test func fourProcessesAppendingTenThousandEachMakeOneLinearLog() throws {
        let office = try CLIFixture()
        let initial = try office.logSize()
        let perWriter = 10_000
        let files = try (0..<4).map { try office.physicians(perWriter, from: $0 * perWriter, named: "writer\($0).csv") }
        let results = Mutex<[ProcessResult?]>(Array(repeating: nil, count: 4))
        let writers = DispatchGroup()
        for (index, file) in files.enumerated() {
            DispatchQueue.global().async(group: writers) {
                let result = try? office.run(["batch", "register", file, "--json"], environment: ["SHIKAKU_LOCK_TIMEOUT": "600"])
                results.withLock { $0[index] = result }
            }
        }
        // Readers need no lock and always see a whole, signed state that only grows.
        var sizes: [Int] = []
        while writers.wait(timeout: .now() + 0.5) == .timedOut {
            sizes.append(try office.logSize())
            let shown = try office.run(["show", "physician:0000001"])
            #expect(shown.status == 0 || sizes.last == initial, "\(shown.stderr)")
        }
        #expect(sizes == sizes.sorted())
        var numbers = Set<String>()
        for result in results.withLock({ $0 }) {
            let result = try #require(result)
            #expect(result.status == 0, "\(result.stderr)")
            let rows = BatchCommandTests.rows(result)
            #expect(rows.count == perWriter)
            numbers.formUnion(rows.compactMap(\.registration))
        }
        #expect(numbers.count == 4 * perWriter)
        #expect(try office.logSize() == initial + 4 * perWriter)
        let audit = try office.run(["audit"])
        #expect(audit.status == 0, "\(audit.output)")
    }
}
