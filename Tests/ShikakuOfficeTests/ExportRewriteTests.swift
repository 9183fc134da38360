import Foundation
import ShikakuCredentials
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// Exporting into the same folder again writes only what changed: nothing at all when nothing did (the
/// trust list and status lists are not signed again while they say the same and are far from expiry),
/// and after one event only the checkpoint, the tiles and bundles it grew, and the status list it changed.
@Suite struct ExportRewriteTests {
    static let start = OfficeFixture.clockSeconds

    static func at(_ offset: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: start + offset) }

    /// A registry with a physician of the ministry who is also a care manager of Tokyo, exported once:
    /// both authorities have a revocation and a suspension list.
    static func exported() throws -> (OfficeFixture, Office, RegistrationID, ExportKeys) {
        let fixture = try OfficeFixture()
        let ministry = try fixture.office()
        let id = try ministry.register(
            "physician", holder: OfficeFixture.holder(1), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
            on: OfficeFixture.date("2019-04-01"))
        try ministry.commit()
        let tokyo = try fixture.office("tokyo", registry: ministry.registry)
        try tokyo.register(
            "care-manager", holder: OfficeFixture.holder(1), person: OfficeFixture.person(sex: nil),
            evidence: OfficeFixture.evidence("care-manager"), on: OfficeFixture.date("2020-04-01"))
        try tokyo.commit()
        let keys = try fixture.exportKeys(ministry.registry)
        let summary = try fixture.export(ministry.registry, keys: keys, at: at(0))
        #expect(summary.written == 9 && summary.unchanged == 0)
        return (fixture, ministry, id, keys)
    }

    static let statusLists: Set<String> = [
        "status/mhlw/revocation/1.json", "status/mhlw/suspension/1.json", "status/tokyo/revocation/1.json", "status/tokyo/suspension/1.json",
    ]

    @Test func exportingAgainWritesNothing() throws {
        let (fixture, office, _, keys) = try Self.exported()
        let files = try ExportedFolder.files(fixture.exportPath)
        let stamps = try ExportedFolder.stamps(fixture.exportPath)
        // A minute later, and then eleven hours later: every signed document has more than half its day left.
        for offset: Int64 in [0, 60, 11 * 3600] {
            let summary = try fixture.export(office.registry, keys: keys, at: Self.at(offset))
            #expect(summary.written == 0, "after \(offset) s")
            #expect(summary.unchanged == files.count)
            #expect(try ExportedFolder.files(fixture.exportPath) == files)
            #expect(try ExportedFolder.stamps(fixture.exportPath) == stamps)
        }
    }

    @Test func statusListsAreSignedAgainPastHalfTheirDayAndTheTrustListIsNot() throws {
        let (fixture, office, _, keys) = try Self.exported()
        let before = try ExportedFolder.stamps(fixture.exportPath)
        let summary = try fixture.export(office.registry, keys: keys, at: Self.at(12 * 3600 + 1))
        #expect(summary.written == 4)
        let after = try ExportedFolder.stamps(fixture.exportPath)
        #expect(ExportedFolder.changed(before, after) == Self.statusLists)
        let list = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: fixture.exportPath + "/status/mhlw/revocation/1.json")))
        #expect(list.objectValue?["validFrom"] == .string(Self.at(12 * 3600 + 1).iso))
        // The trust list has no end: it stays until what it says changes.
        #expect(try fixture.export(office.registry, keys: keys, at: Self.at(400 * 86_400)).written == 4)
        #expect(try ExportedFolder.stamps(fixture.exportPath)["trust-list.json"] == before["trust-list.json"])
    }

    @Test func oneEventRewritesOnlyWhatItChanged() throws {
        let (fixture, office, id, keys) = try Self.exported()
        let size = office.registry.size
        var before = try ExportedFolder.stamps(fixture.exportPath)
        func export(after change: () throws -> Void) throws -> Set<String> {
            try change()
            try office.commit()
            try fixture.export(office.registry, keys: keys, at: Self.at(60))
            let after = try ExportedFolder.stamps(fixture.exportPath)
            defer { before = after }
            return ExportedFolder.changed(before, after)
        }
        func grown(_ size: UInt64) -> Set<String> { ["checkpoint", "tile/0/000.p/\(size)", "tile/entries/000.p/\(size)"] }

        // A registration issues a credential in a fresh slot: no status bit moves.
        var third: RegistrationID?
        #expect(
            try export {
                third = try office.register(
                    "physician", holder: OfficeFixture.holder(3), person: OfficeFixture.person("佐藤 一郎", sex: .male),
                    evidence: OfficeFixture.evidence("physician"), on: OfficeFixture.date("2020-04-02"))
            } == grown(size + 1))
        let suspension = Disposition(
            kind: .practiceSuspension, date: OfficeFixture.date("2023-10-20"), from: OfficeFixture.date("2023-11-01"),
            until: OfficeFixture.date("2024-10-31"), reason: "医師法第7条第1項")
        #expect(try export { try office.change(id, .dispose(suspension)) } == grown(size + 2).union(["status/mhlw/suspension/1.json"]))
        let revocation = Disposition(kind: .revocation, date: OfficeFixture.date("2023-11-10"), reason: "罰金以上の刑")
        #expect(try export { try office.change(#require(third), .dispose(revocation)) } == grown(size + 3).union(["status/mhlw/revocation/1.json"]))
        // The partial tiles of the sizes exported before stay, for clients that verified those checkpoints.
        #expect(FileManager.default.fileExists(atPath: fixture.exportPath + "/tile/0/000.p/\(size)"))
    }

    @Test func aRotatedKeyOrADamagedFileIsSignedAgain() throws {
        let (fixture, office, _, keys) = try Self.exported()
        let registry = office.registry
        let path = fixture.exportPath + "/status/tokyo/revocation/1.json"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let proof = try #require(bytes.range(of: Data("\"proofValue\": \"z".utf8)))
        bytes[proof.upperBound + 3] = bytes[proof.upperBound + 3] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try bytes.write(to: URL(fileURLWithPath: path))
        let before = try ExportedFolder.stamps(fixture.exportPath)
        #expect(try fixture.export(registry, keys: keys, at: Self.at(60)).written == 1)
        #expect(ExportedFolder.changed(before, try ExportedFolder.stamps(fixture.exportPath)) == ["status/tokyo/revocation/1.json"])

        // A new ministry key changes what the trust list says, and who signs the ministry's lists.
        _ = try registry.rotateKey(of: "mhlw", passphrase: fixture.passphrase, logKey: keys.logKey, at: Self.at(120))
        let rotated = try ExportedFolder.stamps(fixture.exportPath)
        try fixture.export(registry, keys: try fixture.exportKeys(registry), at: Self.at(180))
        let changed = ExportedFolder.changed(rotated, try ExportedFolder.stamps(fixture.exportPath))
        #expect(changed.isSuperset(of: ["trust-list.json", "status/mhlw/revocation/1.json", "status/mhlw/suspension/1.json", "checkpoint"]))
        #expect(changed.isDisjoint(with: ["status/tokyo/revocation/1.json", "status/tokyo/suspension/1.json", "log.vkey"]))
    }
}
