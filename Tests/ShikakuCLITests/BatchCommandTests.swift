import Foundation
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
    }

    static func rows(_ result: ProcessResult) -> [Row] {
        result.output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let row = object["row"] as? Int, let outcome = object["outcome"] as? String
            else { return nil }
            return Row(row: row, outcome: outcome, registration: object["registration"] as? String)
        }
    }

    @Test func aCSVWithBOMAndCRLFRegistersAndARerunWritesNothing() throws {
        let office = try CLIFixture()
        let plain = try String(contentsOfFile: try office.physicians(3), encoding: .utf8)
        let file = try office.file("bom.csv", Data([0xEF, 0xBB, 0xBF]) + Data(plain.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        let dry = try office.run(["batch", "register", file, "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let before = try office.contents()
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
        #expect(try office.contents() == written)
    }

    /// Each malformed file: exit 3, the row (and field) named, and nothing written, even for the good rows.
    @Test(arguments: [
        ("unbalanced", Data("qualification,myNumber,name\nphysician,\"100000000021,山田\n".utf8), "line 2"),
        ("columns", Data("registration,trainingDate\ncare-manager:13000001,2026-01-01,extra\n".utf8), "line 2"),
        ("utf8", Data("registration,trainingDate\n".utf8) + Data([0x63, 0xFF, 0x2C, 0x0A]), "line 2"),
        ("date", Data("registration,trainingDate\ncare-manager:13000001,2031-13-40\n".utf8), "trainingDate"),
    ])
    func aMalformedFileNamesTheRowAndWritesNothing(name: String, bytes: Data, mention: String) throws {
        let office = try CLIFixture()
        let file = try office.file("\(name).csv", bytes)
        let before = try office.contents()
        let result = try office.run(["batch", "renew", file, "--as", "tokyo"])
        #expect(result.status == 3, "\(result.stderr)\(result.output)")
        #expect((result.stderr + result.output).contains(mention), "\(result.stderr)\(result.output)")
        #expect(try office.contents() == before)
    }

    /// A real batch killed with SIGKILL 20 times at random moments, then run to the end: every row it ever
    /// reported done is there under the same number, no row is written twice, and the registry audits clean.
    @Test func aBatchKilledAgainAndAgainCompletesWithoutDuplicates() throws {
        let office = try CLIFixture()
        let initial = try office.logSize()
        let count = 6_000
        let file = try office.physicians(count)
        var random = SplitMix64(seed: 20_261_125)
        var reported: [Int: String] = [:]
        var killed = 0
        for _ in 0..<20 {
            let result = try office.run(["batch", "register", file, "--json"], killAfter: 0.2 + Double(random.next() % 1_000) / 1_000)
            if result.status != 0 { killed += 1 }
            #expect(result.status == 0 || result.status == -1 || result.status == Int32(SIGKILL), "\(result.stderr)")
            for row in Self.rows(result) where row.outcome == "done" {
                #expect(reported[row.row] == nil, "row \(row.row) was written twice")
                reported[row.row] = row.registration
            }
            #expect(!result.stderr.contains("Error"), "\(result.stderr)")
        }
        #expect(killed >= 15)
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
