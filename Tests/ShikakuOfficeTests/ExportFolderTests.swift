import Foundation
import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// The export folder may hold the web site's own files, which the export leaves alone; a file where the
/// export needs a folder, or a folder where it writes a file, stops it with a message naming the path.
@Suite struct ExportFolderTests {
    static func registry() throws -> (OfficeFixture, Registry, ExportKeys) {
        let fixture = try OfficeFixture()
        let registry = try fixture.open()
        try FileManager.default.createDirectory(atPath: fixture.exportPath, withIntermediateDirectories: true)
        return (fixture, registry, try fixture.exportKeys(registry))
    }

    @Test func filesOfItsOwnAreLeftAlone() throws {
        let (fixture, registry, keys) = try Self.registry()
        let own = ["index.html": "<h1>資格登録簿</h1>\n", "tile/README": "tiles\n", "status/mhlw/notice.txt": "notice\n"]
        for (path, text) in own {
            let url = URL(fileURLWithPath: fixture.exportPath).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try fixture.export(registry, keys: keys)
        let files = try ExportedFolder.files(fixture.exportPath)
        for (path, text) in own { #expect(files[path] == Array(text.utf8), "\(path)") }
        #expect(files["checkpoint"] != nil)
    }

    /// One export at a time writes into a folder: while another holds its lock, an export waits, then fails
    /// naming the lock, and writes nothing.
    @Test func aSecondExportIntoTheSameFolderWaitsThenFails() throws {
        let (fixture, registry, keys) = try Self.registry()
        try fixture.export(registry, keys: keys)
        let files = PosixFileSystem()
        let held = try files.open(fixture.exportPath + "/.lock", .create, permissions: 0o644)
        defer { files.close(held) }
        try files.lock(held, timeout: 0)
        let before = try ExportedFolder.files(fixture.exportPath)
        let error = #expect(throws: StoreError.self) {
            try Publication.export(
                registry, to: fixture.exportPath, logKey: keys.logKey, issuers: keys.issuers,
                now: Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds + 86_400), lockTimeout: 0.2)
        }
        #expect(error?.code == .locked && error?.path == fixture.exportPath + "/.lock")
        #expect(error?.message.contains("another export is writing into \(fixture.exportPath)") == true, "\(String(describing: error))")
        #expect(try ExportedFolder.files(fixture.exportPath) == before, "a day later every status list would be signed again")
    }

    /// A `.new` file an interrupted export left beside a file that needs no rewriting is removed by the next.
    @Test func aCopyAnInterruptedExportLeftIsRemoved() throws {
        let (fixture, registry, keys) = try Self.registry()
        try fixture.export(registry, keys: keys)
        let stray = fixture.exportPath + "/checkpoint.new"
        try Data("half written".utf8).write(to: URL(fileURLWithPath: stray))
        let summary = try fixture.export(registry, keys: keys)
        #expect(summary.written == 0)
        #expect(!FileManager.default.fileExists(atPath: stray))
    }

    /// A file the export replaces keeps its permissions: a bundle's credential a clerk made 0600 stays so, and
    /// a new file is 0644.
    @Test func aReplacedFileKeepsItsPermissions() throws {
        let (fixture, registry, keys) = try Self.registry()
        func export(_ credential: String) throws {
            _ = try Publication.export(
                registry, to: fixture.exportPath, logKey: keys.logKey, issuers: keys.issuers,
                now: Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds), alongside: [("credential.json", Array(credential.utf8))])
        }
        func permissions(_ name: String) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: fixture.exportPath + "/" + name)[.posixPermissions] as? Int
        }
        // A new file is 0644 less the umask, whatever the umask of the machine running the tests.
        let mask = umask(0)
        umask(mask)
        let fresh = 0o644 & ~Int(mask)
        try export("first\n")
        #expect(try permissions("credential.json") == fresh)
        #expect(chmod(fixture.exportPath + "/credential.json", 0o600) == 0)
        try export("second\n")
        #expect(try ExportedFolder.files(fixture.exportPath)["credential.json"] == Array("second\n".utf8))
        #expect(try permissions("credential.json") == 0o600)
        #expect(try permissions("checkpoint") == fresh)
    }

    /// A folder missing, with the folders above it, is made as `mkdir -p` would.
    @Test func aFolderIsMadeWithTheFoldersAboveIt() throws {
        let (fixture, registry, keys) = try Self.registry()
        let nested = fixture.exportPath + "-nested/a/b"
        let summary = try fixture.export(registry, keys: keys, to: nested)
        #expect(summary.written > 0)
        #expect(FileManager.default.fileExists(atPath: nested + "/checkpoint"))
    }

    /// Something in the way is named before anything is written: the folder holds only what was there and the
    /// export's lock.
    @Test func somethingInTheWayIsNamed() throws {
        let (fixture, registry, keys) = try Self.registry()
        let cases = [
            ("", "is a file, not a folder"), ("tile", "is a file where the export needs a folder"),
            ("tile/0", "is a file where the export needs a folder"), ("checkpoint/", "is a folder where the export writes a file"),
            ("tile/entries/000.p/2/", "is a folder where the export writes a file"),
        ]
        for (n, (path, message)) in cases.enumerated() {
            let folder = URL(fileURLWithPath: fixture.exportPath + "-\(n)")
            let url = path.isEmpty ? folder : folder.appendingPathComponent(path)
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("in the way\n".utf8).write(to: url)
            }
            let before = path.isEmpty ? [] : try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
            let error = try #require(throws: OfficeError.self, "\(path)") { try fixture.export(registry, keys: keys, to: folder.path) }
            #expect(error.code == .exportFolder)
            #expect(error.message.hasPrefix(url.path + " " + message), "\(error.message)")
            if !path.isEmpty {
                let after = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0 != ".lock" }.sorted()
                #expect(after == before, "\(path)")
            }
        }
    }
}
