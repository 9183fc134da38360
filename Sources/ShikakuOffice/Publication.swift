import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuStore

/// What a registry publishes: the export folder of static files any web server can serve, and proof
/// bundles for single credentials. None of it holds personal data.
///
///     checkpoint                          the latest signed checkpoint (C2SP tlog-checkpoint)
///     tile/<L>/<N>[.p/<W>]                the Merkle tree's hashes (C2SP tlog-tiles)
///     tile/entries/<N>[.p/<W>]            the leaves: event kind, qualification, credential hash, status slot, time
///     log.vkey                            the log's note verifier key
///     trust-list.json                     which did:key speaks for which authority, signed by the log key
///     status/<authority>/<purpose>/<n>.json   signed Bitstring Status List credentials, valid one day
///
/// Partial tiles and bundles of earlier exports stay beside the full ones that later grow over them: a
/// client that verified an older checkpoint may still fetch them (C2SP tlog-tiles lets a log delete them
/// only once the full tile is there, and a full tile never changes).
public enum Publication {
    /// What an export did.
    public struct Summary: Sendable {
        /// Files written because they were new or had changed.
        public var written = 0
        /// Files left as they were.
        public var unchanged = 0
        /// The log size exported.
        public var size: UInt64 = 0
    }

    /// Writes the export folder at `folder`, replacing only what changed: a signed document that still says
    /// the same, and has more than half of its validity window ahead, is kept rather than signed again (a
    /// status list is re-signed when it changes or has less than half a day left); files the export does not
    /// write are left alone. Each file is replaced durably, so an interrupted export leaves each one old or
    /// new, and the checkpoint comes last, so that every tile and bundle it needs is there before it is.
    /// - Parameters:
    ///   - logKey: Signs the trust list.
    ///   - issuers: Each authority's current key, to sign its status lists.
    ///   - lockTimeout: How long to wait for another export into the same folder to finish.
    ///   - alongside: More files to put at the top of the folder under the same lock (an offline bundle's
    ///     credential and proof), before the checkpoint: plain names, with no folder in them, that the export
    ///     does not use itself.
    /// - Throws: `store.missing` when no checkpoint was signed yet; `input.export-folder` when a file is where
    ///   the export needs a folder or the reverse; `store.locked` when another export holds the folder;
    ///   `store.io` and the signing errors.
    public static func export(
        _ registry: Registry, to folder: String, logKey: Ed25519.PrivateKey, issuers: [Issuer], now: Timestamp,
        lockTimeout: Double = 10, files: FileSystem = PosixFileSystem(), alongside: [(name: String, bytes: [UInt8])] = []
    ) throws -> Summary {
        guard let checkpoint = registry.checkpoint else { throw StoreError(.missing, "the registry has no signed checkpoint yet") }
        // Checked before anything is written: a name the export itself uses, or one with a folder in it, is a mistake
        // of the caller's.
        for file in alongside {
            precondition(
                !file.name.isEmpty && !file.name.contains("/") && !file.name.hasPrefix(".") && !file.name.hasSuffix(".new")
                    && !["checkpoint", "log.vkey", "trust-list.json"].contains(file.name),
                "\(file.name) is not a plain file name the export leaves free")
        }
        let size = try Checkpoint(text: checkpoint.text).size
        let out = try ExportFolder(folder, files: files, now: now, lockTimeout: lockTimeout)
        let bits = try issuers.map { issuer in try registry.statusBits(of: issuer.authorityID, on: now.dateInJapan) }
        // Every path is checked before the first is written, so that a file or folder in the way fails the export
        // with nothing changed.
        var paths = ["log.vkey", "trust-list.json", "checkpoint"] + alongside.map(\.name)
        for (issuer, lists) in zip(issuers, bits) {
            for purpose in StatusPurpose.allCases {
                for number in (lists[purpose] ?? []).indices.map({ $0 + 1 }) {
                    paths.append(PublicationSite.statusListPath(authority: issuer.authorityID, purpose: purpose, list: number))
                }
            }
        }
        for level in 0..<8 { paths += Tiles.tiles(level: level, size: size).map { Tiles.path(level: level, index: $0.index, width: $0.width) } }
        for start in stride(from: 0, to: size, by: Int(Tiles.width)) {
            paths.append(Tiles.path(level: nil, index: start / Tiles.width, width: min(Tiles.width, size - start)))
        }
        try out.check(paths)
        try out.put("log.vkey", Array((registry.config.logKey + "\n").utf8))
        // The trust list first: it vouches for the keys that sign the status lists below.
        try out.put("trust-list.json", signed: try registry.config.trustList.signed(by: logKey, at: now), by: logKey.publicKey)
        for (issuer, bits) in zip(issuers, bits) {
            for purpose in StatusPurpose.allCases {
                for (offset, list) in (bits[purpose] ?? []).enumerated() {
                    let document = try StatusListCredential.signed(
                        list, purpose: purpose, number: offset + 1, issuer: issuer, site: registry.config.site, at: now)
                    try out.put(
                        PublicationSite.statusListPath(authority: issuer.authorityID, purpose: purpose, list: offset + 1), signed: document,
                        by: issuer.key.publicKey)
                }
            }
        }
        for level in 0..<8 {
            let tiles = Tiles.tiles(level: level, size: size)
            if tiles.isEmpty { break }
            for tile in tiles {
                try out.put(
                    Tiles.path(level: level, index: tile.index, width: tile.width),
                    try registry.tileHashes(level: level, index: tile.index, width: tile.width))
            }
        }
        var bundle: [UInt8] = []
        var bundleStart: UInt64 = 0
        try registry.forEachLeaf(upTo: size) { sequence, leaf in
            bundle.appendBigEndianLength(leaf)
            let count = sequence + 1 - bundleStart
            if count == Tiles.width || sequence + 1 == size {
                try out.put(Tiles.path(level: nil, index: bundleStart / Tiles.width, width: count), bundle)
                bundle.removeAll(keepingCapacity: true)
                bundleStart = sequence + 1
            }
        }
        for file in alongside { try out.put(file.name, file.bytes) }
        // Last, so that no client reads a checkpoint before every tile and bundle under it is in place.
        try out.put("checkpoint", checkpoint.serialized)
        return Summary(written: out.written, unchanged: out.unchanged, size: size)
    }

    /// The offline proof that the event which issued `hash` is in the log, against the latest checkpoint.
    /// - Throws: `input.unknown-credential`; `store.proof` when no checkpoint covers it yet.
    public static func proofBundle(for hash: SHA256.Digest, in registry: Registry) throws -> ProofBundle {
        guard let (_, location) = try registry.credential(hash) else {
            throw OfficeError(.unknownCredential, "the registry did not issue \(CredentialHash.text(hash))")
        }
        return try proofBundle(forRecordAt: location.offset, in: registry)
    }

    /// The offline proof that the record at `offset` is in the log.
    public static func proofBundle(forRecordAt offset: Int64, in registry: Registry) throws -> ProofBundle {
        guard let checkpoint = registry.checkpoint else { throw StoreError(.proof, "the registry has no signed checkpoint yet") }
        let signed = try Checkpoint(text: checkpoint.text)
        let item = try registry.item(at: offset)
        guard item.sequence < signed.size else {
            throw StoreError(.proof, "log entry \(item.sequence) is not covered by the latest checkpoint (\(signed.size)); sign one with `shikaku log checkpoint --sign`")
        }
        return ProofBundle(
            leaf: item.entry.leaf(sequence: item.sequence), index: item.sequence,
            proof: try registry.inclusionProof(of: item.sequence, size: signed.size), checkpoint: checkpoint)
    }

    /// Checks that a bundle's leaf names `hash` and is included in its checkpoint, signed by `verifier`.
    public static func check(_ bundle: ProofBundle, names hash: SHA256.Digest, verifier: NoteVerifier) -> FailureReason? {
        do {
            _ = try bundle.verify(with: verifier)
        } catch {
            return FailureReason(.logInclusion, error.message)
        }
        let leaf = try? JSONValue.parse(bundle.leaf).objectValue
        guard leaf?["credential"]?.stringValue == CredentialHash.text(hash) else {
            return FailureReason(.logInclusion, "the proof's leaf is about another credential")
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// Appends `bytes` after their length as a big-endian uint16 (tlog-tiles entry bundles).
    mutating func appendBigEndianLength(_ bytes: [UInt8]) {
        let length = UInt16(clamping: bytes.count)
        append(UInt8(length >> 8))
        append(UInt8(length & 0xFF))
        append(contentsOf: bytes.prefix(Int(length)))
    }
}
