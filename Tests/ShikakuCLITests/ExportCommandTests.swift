import Foundation
import ShikakuTestSupport
import Testing

/// `shikaku export DIR` through the built binary: what it reports, and that exporting again writes nothing.
@Suite struct ExportCommandTests {
    static func counts(_ result: ProcessResult) throws -> (written: Int, unchanged: Int) {
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        return (try #require(object["written"] as? Int), try #require(object["unchanged"] as? Int))
    }

    @Test func exportingAgainReportsNothingWritten() throws {
        let office = try CLIFixture()
        try office.registerPhysician()
        let folder = office.folder.appendingPathComponent("public").path
        let first = try Self.counts(try office.run(["export", folder, "--json"]))
        #expect(first.written > 0 && first.unchanged == 0)
        let again = try Self.counts(try office.run(["export", folder, "--json"]))
        #expect(again.written == 0 && again.unchanged == first.written)
    }
}
