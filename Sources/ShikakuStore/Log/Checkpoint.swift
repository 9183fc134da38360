import ShikakuCrypto

/// A C2SP tlog-checkpoint (v1.0.0): the text of the signed note that commits to a log's tree.
///
///     <origin>
///     <tree size, decimal, no leading zeros>
///     <root hash, base64>
///     [extension lines]
public struct Checkpoint: Hashable, Sendable {
    /// The log's origin, a schema-less URL naming it.
    public let origin: String
    /// The number of leaves.
    public let size: UInt64
    /// The RFC 9162 root hash.
    public let root: SHA256.Digest
    /// Extension lines, kept as they are.
    public let extensions: [String]

    /// Creates a checkpoint.
    public init(origin: String, size: UInt64, root: SHA256.Digest, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// The note text.
    public var text: String {
        ([origin, String(size), Base64.encode(root.bytes)] + extensions).map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint's text, strictly.
    /// - Throws: `store.malformed-note` naming the line at fault.
    public init(text: String) throws(StoreError) {
        guard text.hasSuffix("\n") else { throw StoreError(.malformedNote, "a checkpoint's text ends with a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3, !lines[0].isEmpty else { throw StoreError(.malformedNote, "a checkpoint has origin, size and root lines") }
        guard let size = UInt64(lines[1]), String(size) == lines[1] else {
            throw StoreError(.malformedNote, "the checkpoint's size \"\(lines[1].prefix(30))\" is not a decimal without leading zeros")
        }
        guard let bytes = try? Base64.decode(lines[2]), let root = SHA256.Digest(bytes: bytes) else {
            throw StoreError(.malformedNote, "the checkpoint's root is not a base64 SHA-256 hash")
        }
        guard !lines.dropFirst(3).contains(where: \.isEmpty) else {
            throw StoreError(.malformedNote, "a checkpoint has no empty lines")
        }
        self.init(origin: lines[0], size: size, root: root, extensions: Array(lines.dropFirst(3)))
    }
}
