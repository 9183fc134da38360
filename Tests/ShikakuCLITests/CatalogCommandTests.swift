import Foundation
import ShikakuTestSupport
import Testing

/// `shikaku catalog`, `--help`, `--version` and usage errors, through the built binary.
@Suite struct CatalogCommandTests {
    @Test func listsThe32Qualifications() throws {
        let result = try Processes.shikaku(["catalog"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 34)
        #expect(lines[2].hasPrefix("1   physician"))
        // Columns line up in display width: the register column starts at the same column on every row.
        let starts = lines.dropFirst(2).map { line -> Int in
            let cells = line.components(separatedBy: "  ").filter { !$0.isEmpty }
            return displayWidth(String(line[..<line.range(of: cells[3])!.lowerBound]))
        }
        #expect(Set(starts).count == 1)
    }

    @Test func printsTheCatalogAsJSON() throws {
        let result = try Processes.shikaku(["catalog", "--json"])
        #expect(result.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        #expect(entries.count == 32)
        let fields = [
            "code", "number", "name", "reading", "englishName", "law", "lawNumber", "authority", "registeredBy", "register",
            "registerKeeper", "registrationBody", "applicationRoute", "certificate", "registrationNumber", "validity",
            "periodicReport", "prerequisites", "additions", "dispositions", "relicense", "recordsSex", "uncertain",
        ]
        for entry in entries { #expect(Array(entry.keys).sorted() == fields.sorted(), "\(entry["code"] ?? "?")") }
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: Vectors.packageRoot.appendingPathComponent("Registry/qualifications.json")))
        #expect(NSArray(array: entries).isEqual((file as? [String: Any])?["qualifications"]))
    }

    @Test func showsOneQualificationInFull() throws {
        let result = try Processes.shikaku(["catalog", "care-manager"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("介護支援専門員（かいごしえんせんもんいん）"))
        for expected in ["介護保険法", "介護支援専門員証", "更新研修", "1年以内の業務禁止", "uncertain"] {
            #expect(result.output.contains(expected), "missing \(expected)")
        }
        let byName = try Processes.shikaku(["catalog", "医師", "--json"])
        #expect(byName.status == 0)
        let entry = try #require(try JSONSerialization.jsonObject(with: byName.stdout) as? [String: Any])
        #expect(entry["code"] as? String == "physician")
    }

    @Test func anUnknownCodeIsBadInput() throws {
        let result = try Processes.shikaku(["catalog", "physican"])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("did you mean physician"))
        let json = try Processes.shikaku(["catalog", "wizard", "--json"])
        #expect(json.status == 3)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: [String: Any]])
        #expect(error["error"]?["code"] as? String == "input.unknown-qualification")
    }

    @Test func helpAndVersionGoToStandardOutput() throws {
        let help = try Processes.shikaku(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("Exit codes:"))
        #expect(help.output.contains("catalog"))
        let none = try Processes.shikaku([])
        #expect(none.output == help.output)
        let commandHelp = try Processes.shikaku(["catalog", "--help"])
        #expect(commandHelp.status == 0)
        #expect(commandHelp.output.contains("Examples:"))
        #expect(try Processes.shikaku(["help", "catalog"]).output == commandHelp.output)
        let version = try Processes.shikaku(["--version"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("shikaku "))
    }

    @Test(arguments: [
        (["frobnicate"], "not a shikaku command"), (["catalog", "--frob"], "has no option '--frob'"),
        (["catalog", "physician", "nurse"], "does not take the argument 'nurse'"), (["catalog", "--json=yes"], "takes no value"),
        (["help", "frobnicate"], "not a shikaku command"),
    ])
    func usageErrorsExitTwo(_ arguments: [String], _ message: String) throws {
        let result = try Processes.shikaku(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: "))
        #expect(result.stderr.contains(message))
    }

    /// The test helper survives a child that exits without reading its input (more than a pipe holds).
    @Test func aCommandThatReadsNoInputLeavesTheTestsStanding() throws {
        let result = try Processes.shikaku(["--version"], input: Data(repeating: 0x0A, count: 1 << 20))
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("shikaku "))
    }

    private func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            width + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
    }
}
