import ShikakuModel
import ShikakuOffice
import ShikakuStore
import Testing

/// A batch is durable once its journal sync returns. When signing the checkpoint over it then fails, the
/// office says so and still hands back what the batch did, so that nobody records it a second time.
@Suite struct CommitFailureTests {
    @Test func aDurableBatchWhoseCheckpointFailsStillCounts() throws {
        let files = FailingSyncs()
        let fixture = try OfficeFixture(files: files)
        do {
            let registry = try Registry(opening: fixture.path, files: files, writable: true)
            let office = try fixture.office(registry: registry)
            try office.register(
                "physician", holder: OfficeFixture.holder(1), person: OfficeFixture.person(), evidence: OfficeFixture.evidence("physician"),
                on: OfficeFixture.date("2020-04-01"))
            files.failing = true
            let error = try #require(throws: OfficeError.self) { try office.commit() }
            #expect(error.code == .checkpointNotSigned)
            #expect(error.committed.map(\.id.description) == ["physician:0000001"])
            // The registry is poisoned for this process; the next one finds the registration and signs over it.
            #expect(throws: StoreError(.syncFailed, "")) { try registry.flushIndexes() }
        }
        files.failing = false
        let reopened = try Registry(opening: fixture.path, files: files, writable: true)
        #expect(try reopened.record(of: RegistrationID(qualification: "physician", number: "0000001")) != nil)
        #expect(Registry.audit(fixture.path).isClean)
    }
}

/// The real file system, whose syncs of anything but the journal fail while `failing` is set.
final class FailingSyncs: FileSystem, @unchecked Sendable {
    private let base = PosixFileSystem()
    var failing = false

    func sync(_ file: FileHandle) throws(StoreError) {
        if failing && !file.path.hasSuffix("/journal") { throw StoreError(.syncFailed, "simulated fsync failure", path: file.path, errno: 5) }
        try base.sync(file)
    }

    func syncDirectory(_ path: String) throws(StoreError) {
        if failing { throw StoreError(.syncFailed, "simulated fsync failure", path: path, errno: 5) }
        try base.syncDirectory(path)
    }

    func open(_ path: String, _ mode: FileOpenMode, permissions: UInt32) throws(StoreError) -> FileHandle {
        try base.open(path, mode, permissions: permissions)
    }
    func close(_ file: FileHandle) { base.close(file) }
    func read(_ file: FileHandle, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
        try base.read(file, at: offset, into: buffer)
    }
    func write(_ file: FileHandle, at offset: Int64, _ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        try base.write(file, at: offset, bytes)
    }
    func size(of file: FileHandle) throws(StoreError) -> Int64 { try base.size(of: file) }
    func truncate(_ file: FileHandle, to size: Int64) throws(StoreError) { try base.truncate(file, to: size) }
    func rename(_ source: String, to destination: String) throws(StoreError) { try base.rename(source, to: destination) }
    func remove(_ path: String) throws(StoreError) { try base.remove(path) }
    func makeDirectory(_ path: String, permissions: UInt32) throws(StoreError) { try base.makeDirectory(path, permissions: permissions) }
    func status(_ path: String) throws(StoreError) -> FileStatus? { try base.status(path) }
    func list(_ directory: String) throws(StoreError) -> [String] { try base.list(directory) }
    func lock(_ file: FileHandle, timeout: Double) throws(StoreError) { try base.lock(file, timeout: timeout) }
    func map(_ file: FileHandle) throws(StoreError) -> UnsafeRawBufferPointer { try base.map(file) }
}
