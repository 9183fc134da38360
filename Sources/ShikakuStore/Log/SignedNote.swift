import ShikakuCrypto

/// A C2SP signed note (signed-note v1.0.0), the envelope of checkpoints.
///
///     <text: UTF-8 lines, each ending in LF, no other control characters>
///     <blank line>
///     — <name> <base64(keyID[4] ‖ signature)>      (one line per signature, U+2014 dash)
///
/// Text and signatures are split at the last blank line. An Ed25519 signature covers the
/// text's bytes, final newline included. The key ID is the first 4 bytes of
/// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). Verifiers ignore signatures by keys they do
/// not know, fail on a bad signature by a key they know, and fail when no known key signed.
public struct SignedNote: Hashable, Sendable {
    /// One signature line.
    public struct Signature: Hashable, Sendable {
        /// The signer's name.
        public let name: String
        /// The signer's key ID.
        public let keyID: UInt32
        /// The signature bytes after the key ID.
        public let signature: [UInt8]

        /// The line as the note writes it, without its newline.
        var line: String { "— \(name) " + Base64.encode(NoteKey.bytes(of: keyID) + signature) }
    }

    /// The signed text, ending in a newline.
    public let text: String
    /// The signatures, in order.
    public let signatures: [Signature]

    /// Most signature lines a note may carry before it is refused as abusive.
    static let maxSignatures = 100

    /// Signs `text` with each signer.
    /// - Throws: `store.malformed-note` if the text breaks the format; the signer's crypto errors.
    public static func sign(_ text: String, with signers: [NoteSigner]) throws -> SignedNote {
        try checkText(text)
        let signatures = try signers.map { signer in
            Signature(name: signer.name, keyID: signer.keyID, signature: try signer.key.signature(for: Array(text.utf8)))
        }
        return SignedNote(text: text, signatures: signatures)
    }

    /// The note as bytes: text, blank line, signature lines.
    public var serialized: [UInt8] {
        Array((text + "\n" + signatures.map { $0.line + "\n" }.joined()).utf8)
    }

    /// Parses a note without checking any signature.
    /// - Throws: `store.malformed-note` naming what is wrong.
    public init(parsing bytes: [UInt8]) throws(StoreError) {
        guard bytes.count <= 1 << 20, let whole = String(validating: bytes, as: UTF8.self) else {
            throw StoreError(.malformedNote, "a signed note must be UTF-8 text of at most 1 MiB")
        }
        guard let split = whole.utf8.indices.last(where: { index in
            whole.utf8[index] == 0x0A && whole.utf8.index(after: index) < whole.utf8.endIndex
                && whole.utf8[whole.utf8.index(after: index)] == 0x0A
        }) else {
            throw StoreError(.malformedNote, "a signed note needs a blank line before its signatures")
        }
        let textEnd = whole.utf8.index(after: split)
        let text = String(whole[..<textEnd])
        try SignedNote.checkText(text)
        let block = whole[whole.utf8.index(after: textEnd)...]
        guard block.hasSuffix("\n") else { throw StoreError(.malformedNote, "the last signature line has no newline") }
        var signatures: [Signature] = []
        for line in block.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("— ") else { throw StoreError(.malformedNote, "a line after the blank line is not a signature") }
            let parts = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, NoteKey.isValidName(String(parts[0])), let bytes = try? Base64.decode(String(parts[1])),
                bytes.count >= 5
            else { throw StoreError(.malformedNote, "a signature line is not \"— name base64\"") }
            signatures.append(
                Signature(name: String(parts[0]), keyID: NoteKey.id(from: bytes.prefix(4)), signature: Array(bytes.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw StoreError(.malformedNote, "the note has no signatures") }
        guard signatures.count <= SignedNote.maxSignatures else {
            throw StoreError(.malformedNote, "the note has more than \(SignedNote.maxSignatures) signatures")
        }
        self.init(text: text, signatures: signatures)
    }

    private init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// Checks the signatures against `verifiers`.
    /// - Returns: The verifiers whose signatures verified; unknown signers are ignored.
    /// - Throws: `store.unverified-note` when a known key's signature is bad, or when no known key signed.
    public func verify(with verifiers: [NoteVerifier]) throws(StoreError) -> [NoteVerifier] {
        var verified: [NoteVerifier] = []
        for signature in signatures {
            guard let verifier = verifiers.first(where: { $0.name == signature.name && $0.keyID == signature.keyID }) else {
                continue
            }
            guard verifier.publicKey.isValidSignature(signature.signature, for: Array(text.utf8)) else {
                throw StoreError(.unverifiedNote, "the signature by \(signature.name) does not verify: the note was altered")
            }
            if !verified.contains(verifier) { verified.append(verifier) }
        }
        guard !verified.isEmpty else {
            let names = signatures.map(\.name).joined(separator: ", ")
            throw StoreError(.unverifiedNote, "no known key signed the note (signed by: \(names))")
        }
        return verified
    }

    /// The text rules: UTF-8 lines ending in newline, no control characters but newline.
    static func checkText(_ text: String) throws(StoreError) {
        guard text.hasSuffix("\n") else { throw StoreError(.malformedNote, "the note's text must end with a newline") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }) else {
            throw StoreError(.malformedNote, "the note's text holds a control character")
        }
    }
}

/// A note signer: a name and an Ed25519 key (signature type 0x01).
public struct NoteSigner: Sendable {
    /// The key's name.
    public let name: String
    /// The private key.
    public let key: Ed25519.PrivateKey
    /// The key ID.
    public var keyID: UInt32 { NoteKey.id(name: name, publicKey: key.publicKey) }
    /// The matching verifier.
    public var verifier: NoteVerifier { NoteVerifier(name: name, publicKey: key.publicKey) }

    /// A signer.
    /// - Throws: `store.malformed-note` for a name with spaces, `+` or control characters.
    public init(name: String, key: Ed25519.PrivateKey) throws(StoreError) {
        guard NoteKey.isValidName(name) else { throw StoreError(.malformedNote, "\"\(name)\" cannot name a note key") }
        self.name = name
        self.key = key
    }
}

/// A note verifier key: `name+hex8(keyID)+base64(0x01 ‖ public key)`.
public struct NoteVerifier: Hashable, Sendable, CustomStringConvertible {
    /// The key's name.
    public let name: String
    /// The Ed25519 public key.
    public let publicKey: Ed25519.PublicKey
    /// The key ID.
    public var keyID: UInt32 { NoteKey.id(name: name, publicKey: publicKey) }

    init(name: String, publicKey: Ed25519.PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses a verifier key text. The base64 may hold `+`, so only the first two `+` split.
    /// - Throws: `store.malformed-note` for anything else, including a key ID that does not match the key.
    public init(vkey text: String) throws(StoreError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, NoteKey.isValidName(String(parts[0])), parts[1].utf8.count == 8,
            let id = UInt32(parts[1], radix: 16), let bytes = try? Base64.decode(String(parts[2])), bytes.count == 33,
            bytes[0] == 0x01, let key = try? Ed25519.PublicKey(rawRepresentation: Array(bytes.dropFirst()))
        else { throw StoreError(.malformedNote, "\"\(text.prefix(100))\" is not an Ed25519 note verifier key") }
        self.init(name: String(parts[0]), publicKey: key)
        guard keyID == id else { throw StoreError(.malformedNote, "the verifier key's ID does not match its key") }
    }

    /// The verifier key text.
    public var vkey: String { "\(name)+\(NoteKey.hex(keyID))+" + Base64.encode([0x01] + publicKey.rawRepresentation) }

    public var description: String { vkey }
}

/// Key names and IDs of signed notes.
enum NoteKey {
    /// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4], big-endian.
    static func id(name: String, publicKey: Ed25519.PublicKey) -> UInt32 {
        id(from: SHA256.hash(Array(name.utf8) + [0x0A, 0x01] + publicKey.rawRepresentation).bytes.prefix(4))
    }

    static func id(from bytes: some Collection<UInt8>) -> UInt32 { bytes.reduce(0) { $0 << 8 | UInt32($1) } }

    static func bytes(of id: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: id >> UInt32($0)) } }

    static func hex(_ id: UInt32) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Names are non-empty and hold no whitespace, `+` or control characters.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }
}
