import Foundation
import ShikakuTestSupport
import Testing

/// `shikaku export DIR` through the built binary: what it reports, that exporting again writes nothing,
/// and that a file in the export's way is bad input (exit code 3) named in the message.
@Suite struct ExportCommandTests {
    static func counts(_ result: ProcessResult) throws -> (written: Int, unchanged: Int) {
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        return (try #require(object["written"] as? Int), try #require(object["unchanged"] as? Int))
    }

    @Test func exportingAgainReportsNothingWrittenAndAFileInTheWayIsNamed() throws {
        let office = try CLIFixture()
        try office.registerPhysician()
        let folder = office.folder.appendingPathComponent("public").path
        let first = try Self.counts(try office.run(["export", folder, "--json"]))
        #expect(first.written > 0 && first.unchanged == 0)
        let again = try Self.counts(try office.run(["export", folder, "--json"]))
        #expect(again.written == 0 && again.unchanged == first.written)

        let blocked = office.folder.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        try Data("not a folder\n".utf8).write(to: blocked.appendingPathComponent("tile"))
        let refused = try office.run(["export", blocked.path])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("\(blocked.path)/tile is a file where the export needs a folder"), "\(refused.stderr)")
    }
}
