/// The one seam through which the registry touches files.
///
/// Every open, read, write, sync, rename and lock goes through a `FileSystem`, so that
/// tests can put a fault-injecting or crash-simulating one in its place (as SQLite's
/// test VFS does) and the real one keeps every system call in one file
/// (``PosixFileSystem``, after swift-system's `Syscalls.swift`).
public protocol FileSystem: AnyObject, Sendable {
    /// Opens `path`, creating it (with `permissions`) when `create` is set.
    /// - Throws: `store.missing` when it does not exist and `create` is not set; `store.io` otherwise.
    func open(_ path: String, _ mode: FileOpenMode, permissions: UInt32) throws(StoreError) -> FileHandle
    /// Closes a handle. Closing never fails in a way the caller can act on.
    func close(_ file: FileHandle)
    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (fewer only at the end).
    func read(_ file: FileHandle, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int
    /// Writes all of `bytes` at `offset`.
    func write(_ file: FileHandle, at offset: Int64, _ bytes: UnsafeRawBufferPointer) throws(StoreError)
    /// The file's size in bytes.
    func size(of file: FileHandle) throws(StoreError) -> Int64
    /// Cuts or extends the file to `size` bytes.
    func truncate(_ file: FileHandle, to size: Int64) throws(StoreError)
    /// Makes the file's data durable (`fdatasync`).
    /// - Throws: `store.sync-failed`, which callers must treat as fatal.
    func sync(_ file: FileHandle) throws(StoreError)
    /// Renames `source` to `destination` atomically, replacing it.
    func rename(_ source: String, to destination: String) throws(StoreError)
    /// Removes a file; removing one that is not there is not an error.
    func remove(_ path: String) throws(StoreError)
    /// Creates a folder.
    func makeDirectory(_ path: String, permissions: UInt32) throws(StoreError)
    /// Makes a folder's entries (creations, renames) durable.
    /// - Throws: `store.sync-failed`.
    func syncDirectory(_ path: String) throws(StoreError)
    /// What is at `path`, or `nil` when nothing is.
    func status(_ path: String) throws(StoreError) -> FileStatus?
    /// The names in a folder, sorted.
    func list(_ directory: String) throws(StoreError) -> [String]
    /// Takes an exclusive lock on the open file, waiting up to `timeout` seconds.
    /// - Throws: `store.locked` when another holder keeps it past the timeout.
    func lock(_ file: FileHandle, timeout: Double) throws(StoreError)
    /// Maps the file read-only, for immutable files (index runs): the bytes stay valid until `close`.
    func map(_ file: FileHandle) throws(StoreError) -> UnsafeRawBufferPointer
}

/// An open file in a ``FileSystem``.
public struct FileHandle: Hashable, Sendable {
    /// The file system's number for it (a descriptor in ``PosixFileSystem``).
    public let id: Int32
    /// The path it was opened with, for messages.
    public let path: String
    /// Whether it was opened ``FileOpenMode/createNewUncached``.
    public let uncached: Bool

    /// Wraps a file system's number.
    public init(id: Int32, path: String, uncached: Bool = false) {
        self.id = id
        self.path = path
        self.uncached = uncached
    }
}

/// How to open a file.
public enum FileOpenMode: Sendable {
    /// Read only; the file must exist.
    case read
    /// Read and write; the file must exist.
    case readWrite
    /// Read and write, creating the file when it does not exist.
    case create
    /// Read and write, creating the file; fails when it exists.
    case createNew
    /// As ``createNew``, for a large file written once from start to end and synced before it is used (an
    /// index run): a write of whole pages, from page-aligned memory to a page offset, may bypass the page
    /// cache (`O_DIRECT`), so that it costs no copy and no cache pages. ``SequentialFile`` writes that way.
    case createNewUncached
}

/// What ``FileSystem/status(_:)`` reports.
public struct FileStatus: Hashable, Sendable {
    /// Whether it is a folder.
    public let isDirectory: Bool
    /// The size in bytes.
    public let size: Int64
    /// The permission bits (`0o600`).
    public let permissions: UInt32
    /// The number of hard links to it.
    public let links: UInt64

    /// Creates a status.
    public init(isDirectory: Bool, size: Int64, permissions: UInt32, links: UInt64) {
        self.isDirectory = isDirectory
        self.size = size
        self.permissions = permissions
        self.links = links
    }
}

extension FileSystem {
    /// The whole content of the file at `path`.
    /// - Throws: `store.missing` or `store.io`.
    public func readAll(_ path: String) throws(StoreError) -> [UInt8] {
        let file = try open(path, .read, permissions: 0)
        defer { close(file) }
        return try readAll(file)
    }

    /// The whole content of an open file.
    public func readAll(_ file: FileHandle) throws(StoreError) -> [UInt8] {
        let count = Int(try size(of: file))
        var bytes = [UInt8](repeating: 0, count: count)
        let read = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(StoreError) in try self.read(file, at: 0, into: buffer) }
        }.get()
        return Array(bytes.prefix(read))
    }

    /// Reads exactly `count` bytes at `offset`, or fewer only when the file ends first.
    public func read(_ file: FileHandle, at offset: Int64, count: Int) throws(StoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(StoreError) in try self.read(file, at: offset, into: buffer) }
        }.get()
        if read < count { bytes.removeLast(count - read) }
        return bytes
    }

    /// Writes `bytes` at `offset`.
    public func write(_ file: FileHandle, at offset: Int64, _ bytes: [UInt8]) throws(StoreError) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(StoreError) in try write(file, at: offset, buffer) } }.get()
    }

    /// Replaces the file at `path` with `bytes` durably: writes a new file beside it, syncs it, renames it
    /// over the old one, and syncs the folder. A crash leaves either the old file or the new one whole.
    public func replaceDurably(_ path: String, with bytes: [UInt8], permissions: UInt32 = 0o644) throws(StoreError) {
        let temporary = path + ".new"
        try remove(temporary)
        let file = try open(temporary, .createNew, permissions: permissions)
        do throws(StoreError) {
            try write(file, at: 0, bytes)
            try sync(file)
        } catch {
            close(file)
            try? remove(temporary)
            throw error
        }
        close(file)
        try rename(temporary, to: path)
        try syncDirectory(Path.directory(of: path))
    }
}

/// Path arithmetic for the registry's own, relative-or-absolute, slash-separated paths.
public enum Path {
    /// `directory/name`.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The folder holding `path` (`.` for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
