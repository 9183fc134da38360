import Glibc
import ShikakuTestSupport
import ShikakuStore

/// An in-memory file system that knows what a crash would keep, and fails on cue.
///
/// Each file keeps its current bytes and the bytes last made durable by `sync`; the
/// namespace keeps its current entries and those last made durable by `syncDirectory`.
/// After a simulated crash, ``crashStates(seed:)`` builds what a disk might hold:
/// unsynced data dropped, kept, cut short, zero-filled or garbage-filled, and unsynced
/// renames and creations lost or kept (SQLite's and TH3's crash model). Faults (EIO,
/// ENOSPC, short writes, sync failures) can be injected at the k-th operation, once or
/// persistently. Every call is logged, so tests can assert the order of syncs and renames.
final class SimulatedFileSystem: FileSystem, @unchecked Sendable {
    final class Inode {
        var data: [UInt8] = []
        var synced: [UInt8] = []
        var permissions: UInt32
        init(permissions: UInt32) { self.permissions = permissions }
    }

    enum Fault: Equatable {
        case eio, enospc, shortWrite, syncFailure
    }

    private(set) var names: [String: Inode] = [:]
    private var durableNames: [String: Inode] = [:]
    private(set) var directories: Set<String> = ["/"]
    private var open: [Int32: (inode: Inode, path: String)] = [:]
    private var mappings: [Int32: UnsafeMutableRawBufferPointer] = [:]
    private var nextDescriptor: Int32 = 3
    private var locks: [ObjectIdentifier: Int32] = [:]

    /// Counts operations; a fault or crash fires when it reaches its index.
    private(set) var operations = 0
    var crashAt: Int?
    /// Called with each operation's number before it runs: what the disk holds then is what a crash at that
    /// operation leaves (see ``crashStates(seed:)``), so one run can visit every crash point.
    public var beforeOperation: ((Int) -> Void)?
    var fault: (at: Int, kind: Fault, persistent: Bool)?
    private(set) var crashed = false
    private var syncFaultFired = false
    /// Every call that changes something, in order: "write f", "sync f", "rename a -> b", "syncdir d", ….
    private(set) var log: [String] = []

    init() {}

    /// A file system holding `files` (path → bytes), all durable.
    init(files: [String: [UInt8]], directories: Set<String>) {
        self.directories = directories.union(["/"])
        for (path, bytes) in files {
            let inode = Inode(permissions: path.hasSuffix(".key") || path.hasSuffix(".secret") ? 0o600 : 0o644)
            inode.data = bytes
            inode.synced = bytes
            names[path] = inode
        }
        durableNames = names
    }

    private func step(_ description: String, path: String) throws(StoreError) {
        if crashed { throw StoreError(.io, "simulated crash", path: path) }
        operations += 1
        beforeOperation?(operations)
        if !description.hasPrefix("read") && !description.hasPrefix("size") && !description.hasPrefix("stat") {
            log.append(description)
        }
        if let crashAt, operations >= crashAt {
            crashed = true
            throw StoreError(.io, "simulated crash", path: path)
        }
        guard let fault, fault.kind != .shortWrite else { return }
        if fault.kind == .syncFailure {
            // A sync failure fires at the first sync from operation `at` on (and every later one if persistent).
            guard description.hasPrefix("sync"), operations >= fault.at, fault.persistent || !syncFaultFired else { return }
            syncFaultFired = true
            throw StoreError(.syncFailed, "simulated fsync failure", path: path, errno: 5)
        }
        guard operations == fault.at || (fault.persistent && operations > fault.at) else { return }
        throw fault.kind == .eio
            ? StoreError(.io, "simulated EIO", path: path, errno: 5) : StoreError(.io, "simulated ENOSPC", path: path, errno: 28)
    }

    private func shortWriteDue() -> Bool {
        guard let fault, fault.kind == .shortWrite else { return false }
        return operations == fault.at || (fault.persistent && operations > fault.at)
    }

    private func inode(_ file: FileHandle) -> Inode {
        guard let entry = open[file.id] else { preconditionFailure("\(file.path) is not open") }
        return entry.inode
    }

    func open(_ path: String, _ mode: FileOpenMode, permissions: UInt32) throws(StoreError) -> FileHandle {
        try step("open \(path)", path: path)
        var inode = names[path]
        switch mode {
        case .read, .readWrite:
            guard inode != nil else { throw StoreError(.missing, "\(path) does not exist", path: path) }
        case .create:
            if inode == nil { inode = Inode(permissions: permissions) }
        case .createNew, .createNewUncached:
            guard inode == nil else { throw StoreError(.io, "\(path) exists", path: path, errno: 17) }
            inode = Inode(permissions: permissions)
        }
        guard directories.contains(Path.directory(of: path)) else {
            throw StoreError(.missing, "no folder for \(path)", path: path)
        }
        guard let inode else { preconditionFailure("set above") }
        names[path] = inode
        let descriptor = nextDescriptor
        nextDescriptor += 1
        open[descriptor] = (inode, path)
        return FileHandle(id: descriptor, path: path)
    }

    func close(_ file: FileHandle) {
        if let mapping = mappings.removeValue(forKey: file.id) { mapping.deallocate() }
        let inode = open.removeValue(forKey: file.id)?.inode
        if let inode, locks[ObjectIdentifier(inode)] == file.id { locks[ObjectIdentifier(inode)] = nil }
    }

    func read(_ file: FileHandle, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
        try step("read \(file.path)", path: file.path)
        let data = inode(file).data
        guard offset < data.count else { return 0 }
        let count = min(buffer.count, data.count - Int(offset))
        data.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[Int(offset)..<Int(offset) + count])) }
        return count
    }

    func write(_ file: FileHandle, at offset: Int64, _ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        try step("write \(file.path)", path: file.path)
        let node = inode(file)
        let count = shortWriteDue() ? bytes.count / 2 : bytes.count
        let end = Int(offset) + count
        if node.data.count < end { node.data += [UInt8](repeating: 0, count: end - node.data.count) }
        node.data.replaceSubrange(Int(offset)..<end, with: bytes.prefix(count))
        if count < bytes.count { throw StoreError(.io, "simulated short write", path: file.path, errno: 28) }
    }

    func size(of file: FileHandle) throws(StoreError) -> Int64 {
        try step("size \(file.path)", path: file.path)
        return Int64(inode(file).data.count)
    }

    func truncate(_ file: FileHandle, to size: Int64) throws(StoreError) {
        try step("truncate \(file.path)", path: file.path)
        let node = inode(file)
        if node.data.count > Int(size) { node.data.removeLast(node.data.count - Int(size)) } else {
            node.data += [UInt8](repeating: 0, count: Int(size) - node.data.count)
        }
    }

    func sync(_ file: FileHandle) throws(StoreError) {
        try step("sync \(file.path)", path: file.path)
        let node = inode(file)
        node.synced = node.data
    }

    func rename(_ source: String, to destination: String) throws(StoreError) {
        try step("rename \(source) -> \(destination)", path: source)
        guard let node = names.removeValue(forKey: source) else { throw StoreError(.missing, "\(source) does not exist", path: source) }
        names[destination] = node
    }

    func remove(_ path: String) throws(StoreError) {
        try step("remove \(path)", path: path)
        names[path] = nil
    }

    func makeDirectory(_ path: String, permissions: UInt32) throws(StoreError) {
        try step("mkdir \(path)", path: path)
        guard !directories.contains(path) else { throw StoreError(.io, "\(path) exists", path: path, errno: 17) }
        directories.insert(path)
    }

    func syncDirectory(_ path: String) throws(StoreError) {
        try step("syncdir \(path)", path: path)
        for (name, node) in names where Path.directory(of: name) == path { durableNames[name] = node }
        for name in durableNames.keys where Path.directory(of: name) == path && names[name] == nil { durableNames[name] = nil }
    }

    func status(_ path: String) throws(StoreError) -> FileStatus? {
        try step("stat \(path)", path: path)
        if directories.contains(path) { return FileStatus(isDirectory: true, size: 0, permissions: 0o700, links: 2) }
        guard let node = names[path] else { return nil }
        return FileStatus(isDirectory: false, size: Int64(node.data.count), permissions: node.permissions, links: 1)
    }

    func list(_ directory: String) throws(StoreError) -> [String] {
        try step("list \(directory)", path: directory)
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let files = names.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
        let folders = directories.filter { $0.hasPrefix(prefix) && $0 != directory && !$0.dropFirst(prefix.count).contains("/") }
        return (files + folders).map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    func lock(_ file: FileHandle, timeout: Double) throws(StoreError) {
        try step("lock \(file.path)", path: file.path)
        let key = ObjectIdentifier(inode(file))
        if let holder = locks[key], holder != file.id, open[holder] != nil {
            throw StoreError(.locked, "locked by another handle", path: file.path)
        }
        locks[key] = file.id
    }

    func map(_ file: FileHandle) throws(StoreError) -> UnsafeRawBufferPointer {
        try step("map \(file.path)", path: file.path)
        let data = inode(file).data
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 16)
        data.withUnsafeBytes { buffer.copyMemory(from: $0) }
        if let old = mappings.updateValue(buffer, forKey: file.id) { old.deallocate() }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<data.count])
    }

    /// What a disk might hold after the crash: one state per kind of damage to unsynced data.
    func crashStates(seed: UInt64) -> [(name: String, fileSystem: SimulatedFileSystem)] {
        var random = SplitMix64(seed: seed)
        func state(_ name: String, keepNames: Bool, _ damage: (Inode, inout SplitMix64) -> [UInt8]) -> (String, SimulatedFileSystem) {
            var files: [String: [UInt8]] = [:]
            for (path, node) in (keepNames ? names : durableNames) { files[path] = damage(node, &random) }
            let result = SimulatedFileSystem(files: files, directories: directories)
            for (path, node) in (keepNames ? names : durableNames) { result.names[path]?.permissions = node.permissions }
            return (name, result)
        }
        func tail(_ node: Inode) -> Range<Int>? {
            let common = SimulatedFileSystem.commonPrefix(node.data, node.synced)
            return common < node.data.count ? common..<node.data.count : nil
        }
        return [
            state("dropped", keepNames: false) { node, _ in node.synced },
            state("kept", keepNames: true) { node, _ in node.data },
            state("cut", keepNames: Bool.random(using: &random)) { node, random in
                guard let range = tail(node) else { return node.synced.count > node.data.count ? node.synced : node.data }
                return Array(node.data.prefix(Int.random(in: range.lowerBound...range.upperBound, using: &random)))
            },
            state("zeroed", keepNames: true) { node, _ in
                guard let range = tail(node) else { return node.data }
                return Array(node.data[..<range.lowerBound]) + [UInt8](repeating: 0, count: range.count)
            },
            state("garbage", keepNames: Bool.random(using: &random)) { node, random in
                guard let range = tail(node) else { return node.data }
                let kept = Int.random(in: range.lowerBound...range.upperBound, using: &random)
                return Array(node.data[..<kept]) + (kept..<range.upperBound).map { _ in UInt8.random(in: 0...255, using: &random) }
            },
        ]
    }

    /// How many bytes `a` and `b` share from the start: compared with memcmp, in blocks, since the crash
    /// tests compare every file at every operation.
    public static func commonPrefix(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                let count = min(a.count, b.count)
                var common = 0
                while common < count {
                    let block = min(4_096, count - common)
                    guard let left = a.baseAddress, let right = b.baseAddress else { return common }
                    if memcmp(left + common, right + common, block) == 0 {
                        common += block
                        continue
                    }
                    while a[common] == b[common] { common += 1 }
                    return common
                }
                return common
            }
        }
    }

    /// Every file's current bytes and every folder: to start other file systems from this state.
    func snapshot() -> (files: [String: [UInt8]], directories: Set<String>) {
        (names.mapValues(\.data), directories)
    }

    /// The bytes at `path` now.
    func contents(_ path: String) -> [UInt8]? { names[path]?.data }

    /// Replaces the bytes at `path`, or puts a durable file there, as a change from outside would.
    func overwrite(_ path: String, with bytes: [UInt8]) {
        let inode = names[path] ?? Inode(permissions: 0o644)
        inode.data = bytes
        inode.synced = bytes
        names[path] = inode
        durableNames[path] = inode
    }
}
