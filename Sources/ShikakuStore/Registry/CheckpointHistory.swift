import ShikakuCrypto

/// `log/checkpoints`: one line per checkpoint the registry ever signed, `<size> <root base64>`.
///
/// It is what makes signing safe: the registry refuses to sign a checkpoint smaller than the last
/// one, or of the same size with another root, or one whose tree does not extend the last one's
/// (C2SP tlog-checkpoint: a log never signs two inconsistent checkpoints). Each line is synced
/// before the checkpoint it records is published, so a line cut short by a crash is one whose
/// checkpoint was never published: it is ignored, and overwritten by the next line appended.
///
/// The file gains a line per signing, so opening and signing read only its last few lines; the audit
/// reads it all.
struct CheckpointHistory {
    let files: FileSystem
    let path: String

    /// What opening and signing read of the end of the file: lines are under 64 bytes.
    private static let tailBytes = 4_096

    init(files: FileSystem, path: String) {
        self.files = files
        self.path = path
    }

    /// What part of the file holds: its whole lines, and where they end.
    struct Contents {
        /// The lines, oldest first.
        var entries: [(size: UInt64, root: SHA256.Digest)] = []
        /// The byte offset after the last whole line; anything beyond it is a torn append.
        var end: Int64 = 0
        /// Whether bytes follow the last whole line: a torn append, or damage to the last line.
        var torn = false
    }

    /// Every line (the audit's read).
    var all: Contents {
        get throws(StoreError) { try read(tail: nil) }
    }

    /// The last lines, at least the last two.
    var recent: Contents {
        get throws(StoreError) { try read(tail: CheckpointHistory.tailBytes) }
    }

    /// The last (size, root) signed.
    var last: (size: UInt64, root: SHA256.Digest)? {
        get throws(StoreError) { try recent.entries.last }
    }

    private func read(tail: Int?) throws(StoreError) -> Contents {
        var contents = Contents()
        guard try files.status(path) != nil else { return contents }
        let file = try files.open(path, .read, permissions: 0)
        defer { files.close(file) }
        let size = try files.size(of: file)
        let from = tail.map { max(0, size - Int64($0)) } ?? 0
        let bytes = try files.read(file, at: from, count: Int(size - from))
        var start = 0
        if from > 0 {
            // The first line read is cut by where the read began.
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
                throw StoreError(.damaged, "the checkpoint history's last 4 KiB hold no line", path: path, offset: from)
            }
            start = newline + 1
        }
        var damagedAt: Int?
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let entry = Self.parse(bytes[start..<newline]) {
                // A good line after a bad one: the bad one is damage, not a torn append.
                if let damagedAt {
                    throw StoreError(.damaged, "a line of the checkpoint history is damaged", path: path, offset: from + Int64(damagedAt))
                }
                contents.entries.append(entry)
                contents.end = from + Int64(newline) + 1
            } else {
                damagedAt = damagedAt ?? start
            }
            start = newline + 1
        }
        if contents.entries.isEmpty, from > 0 {
            throw StoreError(.damaged, "the checkpoint history's last lines are damaged", path: path, offset: from)
        }
        contents.torn = contents.end < size
        return contents
    }

    /// A line's size (decimal, no leading zero) and root (base64, which ``Base64/decode(_:)`` takes only in its
    /// one canonical form), or `nil` if the line is not exactly that. Opening parses up to 4 KiB of lines.
    private static func parse(_ line: ArraySlice<UInt8>) -> (size: UInt64, root: SHA256.Digest)? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let digits = line[..<space]
        guard let first = digits.first, first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        var size: UInt64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            let (tens, over) = size.multipliedReportingOverflow(by: 10)
            let (sum, carry) = tens.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !over, !carry else { return nil }
            size = sum
        }
        guard let bytes = try? Base64.decode(String(decoding: line[(space + 1)...], as: UTF8.self)), let root = SHA256.Digest(bytes: bytes)
        else { return nil }
        return (size, root)
    }

    /// Appends a line after the last whole one and syncs it.
    func append(size: UInt64, root: SHA256.Digest) throws(StoreError) {
        let end = try recent.end
        let file = try files.open(path, .create, permissions: 0o644)
        defer { files.close(file) }
        try files.truncate(file, to: end)
        try files.write(file, at: end, Array("\(size) \(Base64.encode(root.bytes))\n".utf8))
        try files.sync(file)
    }
}
