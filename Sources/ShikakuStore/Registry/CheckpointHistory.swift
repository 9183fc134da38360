import ShikakuCrypto

/// `log/checkpoints`: one line per checkpoint the registry ever signed, `<size> <root base64>`.
///
/// It is what makes signing safe: the registry refuses to sign a checkpoint smaller than the last
/// one, or of the same size with another root, or one whose tree does not extend the last one's
/// (C2SP tlog-checkpoint: a log never signs two inconsistent checkpoints). Each line is synced
/// before the checkpoint it records is published, so a line cut short by a crash is one whose
/// checkpoint was never published: it is ignored, and overwritten by the next line appended.
struct CheckpointHistory {
    let files: FileSystem
    let path: String

    init(files: FileSystem, path: String) {
        self.files = files
        self.path = path
    }

    /// What the file holds: the whole lines, and where they end.
    private struct Contents {
        var entries: [(size: UInt64, root: SHA256.Digest)] = []
        /// The byte offset after the last whole line; anything beyond it is a torn append.
        var end = 0
    }

    private func read() throws(StoreError) -> Contents {
        var contents = Contents()
        guard try files.status(path) != nil else { return contents }
        let bytes = try files.readAll(path)
        var start = 0
        var damagedAt: Int?
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let entry = Self.parse(bytes[start..<newline]) {
                // A good line after a bad one: the bad one is damage, not a torn append.
                if damagedAt != nil { throw StoreError(.damaged, "a line of the checkpoint history is damaged", path: path) }
                contents.entries.append(entry)
                contents.end = newline + 1
            } else {
                damagedAt = damagedAt ?? start
            }
            start = newline + 1
        }
        return contents
    }

    private static func parse(_ line: ArraySlice<UInt8>) -> (size: UInt64, root: SHA256.Digest)? {
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, let size = UInt64(parts[0]), let bytes = try? Base64.decode(String(parts[1])),
            let root = SHA256.Digest(bytes: bytes)
        else { return nil }
        return (size, root)
    }

    /// Every (size, root) signed, oldest first.
    var all: [(size: UInt64, root: SHA256.Digest)] {
        get throws(StoreError) { try read().entries }
    }

    /// The last (size, root) signed.
    var last: (size: UInt64, root: SHA256.Digest)? {
        get throws(StoreError) { try all.last }
    }

    /// Appends a line after the last whole one and syncs it.
    func append(size: UInt64, root: SHA256.Digest) throws(StoreError) {
        let end = try read().end
        let file = try files.open(path, .create, permissions: 0o644)
        defer { files.close(file) }
        try files.truncate(file, to: Int64(end))
        try files.write(file, at: Int64(end), Array("\(size) \(Base64.encode(root.bytes))\n".utf8))
        try files.sync(file)
    }
}
