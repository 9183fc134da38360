import ShikakuCrypto

/// `log/checkpoints`: one line per checkpoint the registry ever signed, `<size> <root base64>`.
///
/// It is what makes signing safe: the registry refuses to sign a checkpoint smaller than the last
/// one, or of the same size with another root, or one whose tree does not extend the last one's
/// (C2SP tlog-checkpoint: a log never signs two inconsistent checkpoints). Each line is synced
/// before the checkpoint it records is published.
struct CheckpointHistory {
    let files: FileSystem
    let path: String

    init(files: FileSystem, path: String) {
        self.files = files
        self.path = path
    }

    /// Every (size, root) signed, oldest first.
    var all: [(size: UInt64, root: SHA256.Digest)] {
        get throws(StoreError) {
            guard try files.status(path) != nil else { return [] }
            let text = String(decoding: try files.readAll(path), as: UTF8.self)
            var entries: [(UInt64, SHA256.Digest)] = []
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let size = UInt64(parts[0]), let bytes = try? Base64.decode(String(parts[1])),
                    let root = SHA256.Digest(bytes: bytes)
                else { throw StoreError(.damaged, "a line of the checkpoint history is damaged", path: path) }
                entries.append((size, root))
            }
            return entries
        }
    }

    /// The last (size, root) signed.
    var last: (size: UInt64, root: SHA256.Digest)? {
        get throws(StoreError) { try all.last }
    }

    /// Appends a line and syncs it.
    func append(size: UInt64, root: SHA256.Digest) throws(StoreError) {
        let file = try files.open(path, .create, permissions: 0o644)
        defer { files.close(file) }
        let end = try files.size(of: file)
        try files.write(file, at: end, Array("\(size) \(Base64.encode(root.bytes))\n".utf8))
        try files.sync(file)
    }
}
