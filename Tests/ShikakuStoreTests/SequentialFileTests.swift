import Foundation
import ShikakuTestSupport
import Testing

@testable import ShikakuStore
@testable import ShikakuStoreTestSupport

/// A file written through ``SequentialFile`` holds exactly the header and the bytes appended, whatever
/// their length against the page and the 1 MiB buffer, and however they were split into appends: on the
/// real file system (where whole pages are written directly, when it allows) and the simulated one.
@Suite struct SequentialFileTests {
    static let page = SequentialFile.pageSize
    static let lengths = [0, 1, page - 64, page - 63, page, (1 << 20) - 64, (1 << 20) - 63, 1 << 20, (1 << 20) + 5_000, (3 << 20) + 17]

    static func write(_ content: [UInt8], header: [UInt8], to path: String, in files: FileSystem, seed: UInt64) throws {
        let file = try files.open(path, .createNewUncached, permissions: 0o644)
        defer { files.close(file) }
        var out = SequentialFile(files: files, file: file, reserving: header.count)
        var random = SplitMix64(seed: seed)
        var from = 0
        while from < content.count {
            // Pieces from a byte to past the buffer, so that appends straddle its end.
            let count = min(content.count - from, Int(random.next() % 3 == 0 ? random.next() % (1 << 21) : random.next() % 200) + 1)
            try out.append(Array(content[from..<from + count]))
            from += count
        }
        try out.finish(header: header)
        try files.sync(file)
    }

    static func content(_ length: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test(arguments: lengths)
    func theRealFileHoldsTheHeaderThenEveryByte(length: Int) throws {
        let folder = try Processes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = PosixFileSystem()
        let header = Array(repeating: UInt8(0xEE), count: 64)
        let content = Self.content(length, seed: UInt64(length))
        let path = folder.appendingPathComponent("run").path
        try Self.write(content, header: header, to: path, in: files, seed: UInt64(length))
        #expect(try files.readAll(path) == header + content)
    }

    @Test(arguments: lengths)
    func theSimulatedFileHoldsTheHeaderThenEveryByte(length: Int) throws {
        let files = SimulatedFileSystem()
        try files.makeDirectory("/index", permissions: 0o755)
        let header = Array(repeating: UInt8(0x11), count: 40)
        let content = Self.content(length, seed: UInt64(length) + 1)
        try Self.write(content, header: header, to: "/index/run", in: files, seed: UInt64(length) + 1)
        #expect(try files.readAll("/index/run") == header + content)
    }
}
