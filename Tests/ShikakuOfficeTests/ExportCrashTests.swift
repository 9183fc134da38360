import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

@testable import ShikakuStoreTestSupport

/// An export crashed after its k-th file operation, for every k until it completes, on the simulated file
/// system (unsynced data dropped, kept, cut short, zeroed or garbage-filled; unsynced renames lost or kept).
/// Every file the crash leaves is the old or the new version (or a `.new` temporary); a checkpoint is never
/// served before the tiles and bundles under it; and exporting again yields exactly the folder of an
/// export that was never interrupted.
@Suite struct ExportCrashTests {
    @Test func anInterruptedExportLeavesEachFileOldOrNewAndTheNextExportFinishesIt() throws {
        let fixture = try OfficeFixture()
        let office = try fixture.office()
        let first = try office.register(
            "physician", holder: OfficeFixture.holder(1), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
            on: OfficeFixture.date("2020-04-01"))
        try office.commit()
        let registry = office.registry
        let keys = try fixture.exportKeys(registry)
        let folder = "/srv/public"
        let start = SimulatedFileSystem(files: [:], directories: ["/srv"])
        try fixture.export(registry, keys: keys, to: folder, files: start)
        let old = start.snapshot()

        // What the interrupted export has to publish: a new leaf, and a revocation bit.
        try office.register(
            "physician", holder: OfficeFixture.holder(2), person: OfficeFixture.person("佐藤 一郎", sex: .male),
            evidence: OfficeFixture.evidence("physician"), on: OfficeFixture.date("2020-04-02"))
        try office.change(first, .dispose(Disposition(kind: .revocation, date: OfficeFixture.date("2023-11-10"), reason: "罰金以上の刑")))
        try office.commit()
        let later = Timestamp(secondsSinceEpoch: OfficeFixture.clockSeconds + 60)
        func export(into files: SimulatedFileSystem) throws { try fixture.export(registry, keys: keys, to: folder, at: later, files: files) }
        func copy(of state: (files: [String: [UInt8]], directories: Set<String>)) -> SimulatedFileSystem {
            SimulatedFileSystem(files: state.files, directories: state.directories)
        }
        let uninterrupted = copy(of: old)
        try export(into: uninterrupted)
        let new = uninterrupted.snapshot()
        let checkpoint = folder + "/checkpoint"
        let tiles = new.files.keys.filter { $0.hasPrefix(folder + "/tile/") && new.files[$0] != old.files[$0] }
        #expect(!tiles.isEmpty && new.files[checkpoint] != old.files[checkpoint])

        var crashes = 0
        for k in 1... {
            let files = copy(of: old)
            files.crashAt = k
            do {
                try export(into: files)
                break
            } catch {
                #expect(files.crashed, "operation \(k): \(error)")
            }
            crashes += 1
            for (name, state) in files.crashStates(seed: UInt64(k)) {
                let left = state.snapshot().files
                for (path, bytes) in left where !path.hasSuffix(".new") {
                    let whole = bytes == old.files[path] || bytes == new.files[path]
                    #expect(whole, "crash at \(k), \(name): \(path) is neither old nor new")
                }
                if left[checkpoint] == new.files[checkpoint] {
                    let missing = tiles.filter { left[$0] != new.files[$0] }.sorted()
                    #expect(missing.isEmpty, "crash at \(k), \(name): the checkpoint is out before \(missing)")
                }
                try export(into: state)
                let finished = state.snapshot().files == new.files
                #expect(finished, "crash at \(k), \(name): exporting again did not finish the job")
            }
        }
        #expect(crashes > 30)

        // Folders the export makes are durable in their parents before anything is written into them.
        let log = start.log
        for (at, entry) in log.enumerated() where entry.hasPrefix("mkdir ") {
            let made = String(entry.dropFirst("mkdir ".count))
            let synced = log[(at + 1)...].firstIndex(of: "syncdir " + Path.directory(of: made))
            let used = log[(at + 1)...].firstIndex { $0.hasPrefix("open " + made + "/") || $0.hasPrefix("mkdir " + made + "/") }
            #expect((synced ?? log.count) < (used ?? log.count), "\(made) is used before its parent is synced")
        }
    }
}
