import ShikakuCrypto

/// An offline inclusion proof: C2SP tlog-proof@v1 (draft), a "spicy signature".
///
///     c2sp.org/tlog-proof@v1
///     extra <base64 of the leaf's data>
///     index <leaf index>
///     <base64 hash>            (zero or more lines: the inclusion proof, leaf's sibling first)
///
///     <the checkpoint's signed note, verbatim>
///
/// Shikaku puts the leaf's data in `extra`, so a verifier can check that the leaf names the credential
/// it holds without asking anyone.
public struct ProofBundle: Sendable {
    /// The leaf's data (the Merkle leaf record).
    public let leaf: [UInt8]
    /// The leaf's index.
    public let index: UInt64
    /// The inclusion proof.
    public let proof: [SHA256.Digest]
    /// The checkpoint it proves inclusion in.
    public let checkpoint: SignedNote

    /// Creates a bundle.
    public init(leaf: [UInt8], index: UInt64, proof: [SHA256.Digest], checkpoint: SignedNote) {
        self.leaf = leaf
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// The bundle's text.
    public var text: String {
        var lines = ["c2sp.org/tlog-proof@v1", "extra " + Base64.encode(leaf), "index \(index)"]
        lines += proof.map { Base64.encode($0.bytes) }
        return lines.joined(separator: "\n") + "\n\n" + String(decoding: checkpoint.serialized, as: UTF8.self)
    }

    /// Parses a bundle.
    /// - Throws: `store.proof` naming what is malformed.
    public init(text: String) throws(StoreError) {
        let bytes = Array(text.utf8)
        guard let blank = bytes.indices.dropLast().first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw StoreError(.proof, "a tlog-proof has a blank line before its checkpoint")
        }
        let lines = String(decoding: bytes[..<blank], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "c2sp.org/tlog-proof@v1" else { throw StoreError(.proof, "not a c2sp.org/tlog-proof@v1 bundle") }
        var rest = lines.dropFirst()
        var leaf: [UInt8]?
        if let line = rest.first, line.hasPrefix("extra ") {
            leaf = try? Base64.decode(String(line.dropFirst(6)))
            rest = rest.dropFirst()
        }
        guard let leaf else { throw StoreError(.proof, "the bundle has no extra line with the leaf's data") }
        guard let line = rest.first, line.hasPrefix("index "), let index = UInt64(line.dropFirst(6)) else {
            throw StoreError(.proof, "the bundle has no index line")
        }
        var proof: [SHA256.Digest] = []
        for line in rest.dropFirst() {
            guard let bytes = try? Base64.decode(line), let hash = SHA256.Digest(bytes: bytes) else {
                throw StoreError(.proof, "a proof line is not a base64 SHA-256 hash")
            }
            proof.append(hash)
        }
        guard proof.count <= 63 else { throw StoreError(.proof, "the proof is longer than any log's") }
        self.init(leaf: leaf, index: index, proof: proof, checkpoint: try SignedNote(parsing: Array(bytes[(blank + 2)...])))
    }

    /// Checks the checkpoint's signature under `verifier`, then the leaf's inclusion in it.
    /// - Throws: `store.unverified-note` or `store.proof`.
    public func verify(with verifier: NoteVerifier) throws(StoreError) -> Checkpoint {
        _ = try checkpoint.verify(with: [verifier])
        let signed = try Checkpoint(text: checkpoint.text)
        guard Merkle.verifyInclusion(leafHash: Merkle.leafHash(leaf), index: index, size: signed.size, proof: proof, root: signed.root) else {
            throw StoreError(.proof, "the leaf is not included in the signed checkpoint of \(signed.size)")
        }
        return signed
    }
}
