import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuStore

/// The export folder as ``Publication/export(_:to:logKey:issuers:now:lockTimeout:files:alongside:)`` writes it: a file
/// is replaced, durably, only when what it should hold differs from what it holds, so that a web server or a
/// CDN in front of the folder sees only real changes. Files the export does not write are left alone.
///
/// One export at a time writes into a folder: it holds a lock on the empty file `.lock` there, since two
/// exports replacing the same file would write the same `.new` file at once.
final class ExportFolder {
    let root: String
    let files: FileSystem
    /// When the export runs: signed documents are judged against it.
    let now: Timestamp
    private(set) var written = 0
    private(set) var unchanged = 0
    private let lock: FileHandle

    /// The folder at `root`, created when it is missing, locked for this export (waiting up to `lockTimeout`
    /// seconds for another to finish).
    /// - Throws: `input.export-folder` when `root` is a file; `store.locked`; `store.io`.
    init(_ root: String, files: FileSystem, now: Timestamp, lockTimeout: Double) throws {
        self.root = root
        self.files = files
        self.now = now
        if let status = try files.status(root) {
            guard status.isDirectory else {
                throw OfficeError(.exportFolder, "\(root) is a file, not a folder: give `shikaku export` a folder (it is created when missing)")
            }
        } else {
            // The folder and those missing above it, as `mkdir -p` would, each made durable in its parent.
            var missing = [root]
            var above = Path.directory(of: root)
            while above != "/", above != ".", try files.status(above) == nil {
                missing.append(above)
                above = Path.directory(of: above)
            }
            for folder in missing.reversed() {
                try files.makeDirectory(folder, permissions: 0o755)
                try files.syncDirectory(Path.directory(of: folder))
            }
        }
        let lockPath = Path.join(root, ".lock")
        // Held in a local until it is locked: a class whose properties are all set runs its deinit when init
        // throws, which would close the handle a second time.
        let handle = try files.open(lockPath, .create, permissions: 0o644)
        do {
            try files.lock(handle, timeout: lockTimeout)
        } catch {
            files.close(handle)
            guard error.code == .locked else { throw error }
            throw StoreError(
                .locked,
                "another export is writing into \(root) and kept its lock for \(lockTimeout) seconds; wait for it to finish "
                    + "(or raise SHIKAKU_LOCK_TIMEOUT) and try again", path: lockPath)
        }
        lock = handle
    }

    deinit { files.close(lock) }

    /// Refuses a file where the export needs a folder, or a folder where it writes a file, at any of `paths`
    /// (relative to the folder).
    /// - Throws: `input.export-folder`, naming what is in the way.
    func check(_ paths: [String]) throws {
        var folders: Set<String> = []
        for path in paths {
            let target = Path.join(root, path)
            if let status = try files.status(target), status.isDirectory {
                throw OfficeError(.exportFolder, "\(target) is a folder where the export writes a file; move it out of the export folder")
            }
            var current = Path.directory(of: target)
            while current.count > root.count, folders.insert(current).inserted {
                if let status = try files.status(current), !status.isDirectory {
                    throw OfficeError(.exportFolder, "\(current) is a file where the export needs a folder; move it out of the export folder")
                }
                current = Path.directory(of: current)
            }
        }
    }

    /// Puts `bytes` at `path` (relative to the folder) unless the file already holds them.
    func put(_ path: String, _ bytes: [UInt8]) throws {
        let target = Path.join(root, path)
        if try existing(target) == bytes {
            try keep(target)
        } else {
            try write(target, bytes)
        }
    }

    /// Puts the signed `document` at `path`, unless the file there already says the same, signed by `key`,
    /// and stays valid long enough (``SignedDocumentCurrency``): re-signing it would change its bytes at
    /// every export, and every cache in front of the folder would fetch it again for nothing.
    func put(_ path: String, signed document: JSONObject, by key: Ed25519.PublicKey) throws {
        let target = Path.join(root, path)
        if let old = try existing(target), SignedDocumentCurrency.canStay(old, for: document, key: key, at: now) {
            try keep(target)
        } else {
            try write(target, Array(JSONValue.object(document).prettyPrinted().utf8) + [0x0A])
        }
    }

    /// Leaves `target` as it is, and removes a `.new` copy of it that an export stopped before its rename
    /// left (one that rewrites the file replaces it anyway).
    private func keep(_ target: String) throws {
        unchanged += 1
        if try files.status(target + ".new") != nil { try files.remove(target + ".new") }
    }

    /// The bytes of the file at `target`, or `nil` when there is none.
    private func existing(_ target: String) throws -> [UInt8]? {
        guard let status = try files.status(target) else { return nil }
        guard !status.isDirectory else {
            throw OfficeError(.exportFolder, "\(target) is a folder where the export writes a file; move it out of the export folder")
        }
        return try files.readAll(target)
    }

    /// Replaces `target` durably, keeping its read and write permissions as far as the umask lets a new file
    /// have them (a bundle's credential a clerk made 0600 stays so); a new file is 0644 less the umask.
    private func write(_ target: String, _ bytes: [UInt8]) throws {
        try makeFolders(above: target)
        try files.replaceDurably(target, with: bytes, permissions: (try files.status(target)?.permissions ?? 0o644) & 0o777)
        written += 1
    }

    /// Creates the folders above `target` that are missing, below the root, each made durable in its parent
    /// (``FileSystem/replaceDurably(_:with:permissions:)`` syncs only the folder holding the file).
    private func makeFolders(above target: String) throws {
        var missing: [String] = []
        var current = Path.directory(of: target)
        while current.count > root.count {
            if let status = try files.status(current) {
                guard status.isDirectory else {
                    throw OfficeError(.exportFolder, "\(current) is a file where the export needs a folder; move it out of the export folder")
                }
                break
            }
            missing.append(current)
            current = Path.directory(of: current)
        }
        for folder in missing.reversed() {
            try files.makeDirectory(folder, permissions: 0o755)
            try files.syncDirectory(Path.directory(of: folder))
        }
    }
}
