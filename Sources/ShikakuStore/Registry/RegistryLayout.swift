/// Where a registry keeps each file, under its folder.
///
///     registry.json         what the registry is: id, origin, authorities and their public keys
///     LOCK                  the writers' lock (flock); holds no data
///     journal               the append-only journal: the one source of truth
///     log/hashes            the Merkle tree's stored hashes (derived)
///     log/hashes.rederiving while they are derived again: the next open derives them all
///     log/checkpoint        the latest signed checkpoint
///     log/checkpoints       every checkpoint signed, one "size root" line each: what must never be contradicted
///     index/                the indexes and status snapshot (derived; `shikaku index rebuild` remakes them)
///     keys/                 mode 0700: the holder-key secret, the log key, the authorities' keys, all encrypted
public struct RegistryLayout: Sendable {
    /// The registry's folder.
    public let root: String
    /// Made once: every record read names it, in case it is damaged.
    public let journal: String

    /// The layout of the registry at `root`.
    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        journal = Path.join(self.root, "journal")
    }

    public var config: String { Path.join(root, "registry.json") }
    public var lock: String { Path.join(root, "LOCK") }
    public var logDirectory: String { Path.join(root, "log") }
    public var hashes: String { Path.join(logDirectory, "hashes") }
    /// Present while the stored hashes are being derived again: what is past the point reached may be stale.
    public var hashesRederiving: String { Path.join(logDirectory, "hashes.rederiving") }
    public var checkpoint: String { Path.join(logDirectory, "checkpoint") }
    public var checkpoints: String { Path.join(logDirectory, "checkpoints") }
    public var indexDirectory: String { Path.join(root, "index") }
    public var keysDirectory: String { Path.join(root, "keys") }
    public var holderSecret: String { Path.join(keysDirectory, "holder.secret") }
    public var logKey: String { Path.join(keysDirectory, "log.key") }

    /// The path of a file named relative to the registry folder.
    public func path(_ relative: String) -> String { Path.join(root, relative) }
}
