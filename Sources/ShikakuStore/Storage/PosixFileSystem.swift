import Glibc

/// The real file system: every system call the registry makes is in this file.
///
/// Data files never get a descriptor below 3 (SQLite's lesson: a stray write to a
/// reused standard stream corrupts the file); locks are `flock` locks, which belong to
/// the open file description and so survive another descriptor on the same file being
/// closed, unlike POSIX record locks.
public final class PosixFileSystem: FileSystem, @unchecked Sendable {
    private var mappings: [Int32: UnsafeRawBufferPointer] = [:]
    private let mappingsLock = Mutex()

    /// The real file system.
    public init() {}

    public func open(_ path: String, _ mode: FileOpenMode, permissions: UInt32) throws(StoreError) -> FileHandle {
        let flags: Int32 =
            switch mode {
            case .read: O_RDONLY
            case .readWrite: O_RDWR
            case .create: O_RDWR | O_CREAT
            case .createNew, .createNewUncached: O_RDWR | O_CREAT | O_EXCL
            }
        var descriptor = Glibc.open(path, flags | O_CLOEXEC, mode_t(permissions))
        guard descriptor >= 0 else {
            let error = errno
            throw error == ENOENT
                ? StoreError(.missing, "\(path) does not exist", path: path, errno: error)
                : PosixFileSystem.failure("cannot open", path, error)
        }
        if descriptor < 3 {
            let moved = fcntl(descriptor, F_DUPFD_CLOEXEC, 3)
            Glibc.close(descriptor)
            guard moved >= 3 else { throw PosixFileSystem.failure("cannot move the descriptor of", path, errno) }
            descriptor = moved
        }
        return FileHandle(id: descriptor, path: path, uncached: mode == .createNewUncached)
    }

    public func close(_ file: FileHandle) {
        mappingsLock.withLock {
            if let mapping = mappings.removeValue(forKey: file.id) {
                munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count)
            }
        }
        Glibc.close(file.id)
    }

    public func read(_ file: FileHandle, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError) -> Int {
        var total = 0
        while total < buffer.count {
            let count = pread(file.id, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if count < 0 {
                if errno == EINTR { continue }
                throw PosixFileSystem.failure("cannot read", file.path, errno)
            }
            if count == 0 { break }
            total += count
        }
        return total
    }

    public func write(_ file: FileHandle, at offset: Int64, _ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        var direct = file.uncached && PosixFileSystem.setDirect(file, PosixFileSystem.isPageAligned(offset, bytes))
        var total = 0
        while total < bytes.count {
            let count = pwrite(file.id, bytes.baseAddress! + total, bytes.count - total, off_t(offset) + off_t(total))
            if count < 0 {
                if errno == EINTR { continue }
                // A device may want larger blocks than a page for direct writes: write through the cache then.
                if errno == EINVAL, direct {
                    direct = PosixFileSystem.setDirect(file, false)
                    continue
                }
                throw PosixFileSystem.failure("cannot write", file.path, errno)
            }
            total += count
            // A direct write cut short leaves the rest unaligned.
            if total < bytes.count, direct { direct = PosixFileSystem.setDirect(file, false) }
        }
    }

    /// `O_DIRECT`, which Glibc's module does not export: its value differs between architectures.
    private static let directFlag: Int32? = {
        #if arch(x86_64) || arch(i386)
            0o40000
        #elseif arch(arm64) || arch(arm)
            0o200000
        #else
            nil
        #endif
    }()

    /// Turns direct writes on or off for `file`; returns whether they are on (a file system that has none,
    /// such as tmpfs, refuses them).
    private static func setDirect(_ file: FileHandle, _ on: Bool) -> Bool {
        guard let directFlag else { return false }
        let flags = fcntl(file.id, F_GETFL)
        guard flags >= 0 else { return false }
        let wanted = on ? flags | directFlag : flags & ~directFlag
        guard wanted != flags else { return on }
        return fcntl(file.id, F_SETFL, wanted) == 0 ? on : false
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Whether a write may go straight to the device: page-aligned memory, offset and length.
    private static func isPageAligned(_ offset: Int64, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let address = bytes.baseAddress else { return false }
        return Int(bitPattern: address) % pageSize == 0 && Int(offset) % pageSize == 0 && bytes.count % pageSize == 0
    }

    public func size(of file: FileHandle) throws(StoreError) -> Int64 {
        var info = stat()
        guard fstat(file.id, &info) == 0 else { throw PosixFileSystem.failure("cannot stat", file.path, errno) }
        return Int64(info.st_size)
    }

    public func truncate(_ file: FileHandle, to size: Int64) throws(StoreError) {
        guard ftruncate(file.id, off_t(size)) == 0 else { throw PosixFileSystem.failure("cannot truncate", file.path, errno) }
    }

    public func sync(_ file: FileHandle) throws(StoreError) {
        guard fdatasync(file.id) == 0 else {
            throw StoreError(.syncFailed, "syncing \(file.path) to disk failed: \(PosixFileSystem.describe(errno))", path: file.path, errno: errno)
        }
    }

    public func rename(_ source: String, to destination: String) throws(StoreError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw PosixFileSystem.failure("cannot rename \(source) to", destination, errno)
        }
    }

    public func remove(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw PosixFileSystem.failure("cannot remove", path, errno) }
    }

    public func makeDirectory(_ path: String, permissions: UInt32) throws(StoreError) {
        guard mkdir(path, mode_t(permissions)) == 0 else { throw PosixFileSystem.failure("cannot create the folder", path, errno) }
    }

    public func syncDirectory(_ path: String) throws(StoreError) {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PosixFileSystem.failure("cannot open the folder", path, errno) }
        defer { Glibc.close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw StoreError(.syncFailed, "syncing the folder \(path) failed: \(PosixFileSystem.describe(errno))", path: path, errno: errno)
        }
    }

    public func status(_ path: String) throws(StoreError) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw PosixFileSystem.failure("cannot stat", path, errno)
        }
        return FileStatus(
            isDirectory: info.st_mode & S_IFMT == S_IFDIR, size: Int64(info.st_size), permissions: UInt32(info.st_mode & 0o7777),
            links: UInt64(info.st_nlink))
    }

    public func list(_ directory: String) throws(StoreError) -> [String] {
        guard let handle = opendir(directory) else { throw PosixFileSystem.failure("cannot list", directory, errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func lock(_ file: FileHandle, timeout: Double) throws(StoreError) {
        let deadline = PosixFileSystem.monotonicSeconds() + timeout
        var pause = 0.001
        while flock(file.id, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw PosixFileSystem.failure("cannot lock", file.path, errno) }
            guard PosixFileSystem.monotonicSeconds() < deadline else {
                throw StoreError(
                    .locked,
                    "another shikaku process is writing to this registry and kept its lock for \(timeout) seconds; "
                        + "wait for it to finish (or raise SHIKAKU_LOCK_TIMEOUT) and try again",
                    path: file.path)
            }
            usleep(useconds_t(pause * 1_000_000))
            pause = min(pause * 2, 0.05)
        }
    }

    public func map(_ file: FileHandle) throws(StoreError) -> UnsafeRawBufferPointer {
        let count = Int(try size(of: file))
        guard count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let address = mmap(nil, count, PROT_READ, MAP_SHARED, file.id, 0), address != MAP_FAILED else {
            throw PosixFileSystem.failure("cannot map", file.path, errno)
        }
        let mapping = UnsafeRawBufferPointer(start: address, count: count)
        // A file mapped again replaces its mapping: the one before is unmapped, not leaked.
        if let replaced = mappingsLock.withLock({ mappings.updateValue(mapping, forKey: file.id) }) {
            munmap(UnsafeMutableRawPointer(mutating: replaced.baseAddress), replaced.count)
        }
        return mapping
    }

    private static func failure(_ action: String, _ path: String, _ code: Int32) -> StoreError {
        StoreError(.io, "\(action) \(path): \(describe(code))", path: path, errno: code)
    }

    /// The system's words for an error number, with advice for the ones an operator can fix.
    static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        switch code {
        case ENOSPC: return "\(text) — free some space and try again; nothing was recorded"
        case EROFS: return "\(text) — the registry's disk is mounted read-only"
        case EACCES, EPERM: return "\(text) — check the registry folder's owner and permissions"
        default: return text
        }
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// A small lock for state shared between threads, over a pthread mutex.
final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }

    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
