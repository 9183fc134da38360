/// An error from the registry's storage: files, locks, damage, and refusals to sign.
///
/// It names the file and, for damage, the byte offset, so that an operator can look.
/// Two errors are equal when their codes are equal.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure, such as `store.locked`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and how to fix it.
    public let message: String
    /// The file concerned, if any.
    public let path: String?
    /// The byte offset in ``path`` where damage was found, if any.
    public let offset: Int64?
    /// The operating system's error number, if a system call failed.
    public let errno: Int32?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: What was wrong and how to fix it.
    ///   - path: The file concerned.
    ///   - offset: Where in it, for damage.
    ///   - errno: The system's error number, for failed calls.
    public init(_ code: Code, _ message: String, path: String? = nil, offset: Int64? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.offset = offset
        self.errno = errno
    }

    public var description: String {
        var text = message
        if let path { text += " [\(path)\(offset.map { " at byte \($0)" } ?? "")]" }
        return text
    }
}

extension StoreError: Equatable {
    /// Errors compare by code only: the message and location are for people.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}

extension StoreError.Code {
    /// A system call on a file failed (EIO, ENOSPC, EACCES, EROFS, …).
    public static let io = Self(rawValue: "store.io")
    /// Syncing a file to disk failed. The process must stop: Linux may have dropped the unwritten pages,
    /// so a retry that succeeds proves nothing (PostgreSQL's "fsyncgate").
    public static let syncFailed = Self(rawValue: "store.sync-failed")
    /// Another process holds the registry's write lock past the timeout.
    public static let locked = Self(rawValue: "store.locked")
    /// A file the registry needs is missing.
    public static let missing = Self(rawValue: "store.missing")
    /// A file is damaged: bad checksum, bad framing, impossible content.
    public static let damaged = Self(rawValue: "store.damaged")
    /// A file belongs to another registry or is of another format version.
    public static let foreignFile = Self(rawValue: "store.foreign-file")
    /// A file is older than the rest of the registry (restored from a backup, or swapped in).
    public static let staleFile = Self(rawValue: "store.stale-file")
    /// A private key file that others can read.
    public static let keyFilePermissions = Self(rawValue: "store.key-file-permissions")
    /// A folder that is not a registry.
    public static let notARegistry = Self(rawValue: "store.not-a-registry")
    /// A registry (or anything else) already where a new one was to be made.
    public static let alreadyExists = Self(rawValue: "store.already-exists")
    /// Signing a checkpoint that would contradict one signed before.
    public static let inconsistentCheckpoint = Self(rawValue: "store.inconsistent-checkpoint")
    /// A proof could not be made or does not verify.
    public static let proof = Self(rawValue: "store.proof")
}

extension StoreError.Code {
    /// A signed note or checkpoint that breaks its format.
    public static let malformedNote = Self(rawValue: "store.malformed-note")
    /// A signed note whose signatures do not verify under the keys given.
    public static let unverifiedNote = Self(rawValue: "store.unverified-note")
}
