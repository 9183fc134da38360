import ShikakuCrypto
import ShikakuModel

/// What `shikaku audit` found: every difference between the journal and what is derived from it or
/// signed over it, each with the file and, where there is one, the byte offset.
public struct AuditReport: Sendable {
    /// One difference.
    public struct Problem: Sendable, CustomStringConvertible {
        /// The file concerned.
        public let file: String
        /// Where in it, when known.
        public let offset: Int64?
        /// What is wrong.
        public let message: String

        public var description: String { "\(file)\(offset.map { " at byte \($0)" } ?? ""): \(message)" }
    }

    /// The differences found, the first bad record first.
    public internal(set) var problems: [Problem] = []
    /// Journal records read.
    public internal(set) var records: UInt64 = 0
    /// Registrations whose histories were folded.
    public internal(set) var registrations = 0
    /// Signed checkpoints whose roots were recomputed.
    public internal(set) var checkpoints = 0
    /// Index entries compared.
    public internal(set) var indexEntries = 0
    /// Journal records the index runs cover (those after them are replayed by each open, not indexed on
    /// disk), or `nil` when the index could not be opened or the audit stopped before it (a problem says why).
    public internal(set) var indexedRecords: UInt64?

    /// Whether nothing was found.
    public var isClean: Bool { problems.isEmpty }

    mutating func add(_ file: String, _ offset: Int64? = nil, _ message: String) {
        problems.append(Problem(file: file, offset: offset, message: message))
    }

    mutating func add(_ error: Error, file: String) {
        if let error = error as? StoreError {
            add(error.path ?? file, error.offset, error.message)
        } else {
            add(file, nil, "\(error)")
        }
    }
}

extension Registry {
    /// Replays the whole journal and checks everything against it: every record's frame and checksum,
    /// the chain of each registration's history and that it folds, every stored Merkle hash, the root
    /// of every checkpoint ever signed and the latest one's signature, every index run's checksum and
    /// every index entry. It only reads, and never stops at the first problem unless the journal itself
    /// can be read no further.
    public static func audit(_ root: String, files: FileSystem = PosixFileSystem()) -> AuditReport {
        let layout = RegistryLayout(root: root)
        var report = AuditReport()
        let config: RegistryConfig
        do {
            config = try RegistryConfig(json: try files.readAll(layout.config), path: layout.config)
        } catch {
            report.add(error, file: layout.config)
            return report
        }
        let registryID = config.idBytes
        // The checkpoint is read before the history and the journal, which writers only ever extend past it.
        let published = Result { () throws(StoreError) in try files.readAll(layout.checkpoint) }
        var history = CheckpointHistory.Contents()
        do {
            history = try CheckpointHistory(files: files, path: layout.checkpoints).all
        } catch {
            report.add(error, file: layout.checkpoints)
        }
        // The indexes are compared with the journal up to what they cover; past that, the journal is replayed at open.
        var index: RegistryIndex?
        do {
            index = try RegistryIndex.open(files: files, directory: layout.indexDirectory, registryID: registryID, writable: false)
        } catch {
            report.add(error, file: layout.indexDirectory)
        }
        let coverage = index?.covered.offset ?? 0
        report.indexedRecords = index?.covered.sequence
        var expected = ExpectedIndex()
        var tree = MerkleAccumulator()
        var storedHashes = StoredHashReader(files: files, path: layout.hashes)
        var checks = history.entries.makeIterator()
        var nextCheck = checks.next()
        var lastOffsets: [RegistrationID: Int64] = [:]
        var states: [RegistrationID: Registration] = [:]
        // What the state blocks are compared with besides the fold: whose register, and the current credential.
        var owners: [RegistrationID: String] = [:]
        var credentials: [RegistrationID: (digest: SHA256.Digest, offset: Int64)] = [:]
        do {
            let (_, torn) = try Journal.open(files: files, path: layout.journal, registryID: registryID, writable: false) { record in
                report.records += 1
                let entry: JournalEntry
                do {
                    entry = try JournalEntry(payload: record.payload, path: layout.journal, offset: record.offset)
                } catch {
                    report.add(error, file: layout.journal)
                    return
                }
                // Reading decodes a record member by member, passing over what it does not know and never looking
                // for a name twice: the record must be exactly what encoding what was read gives.
                if let json = try? FactsBlock.json(in: record.payload), !entry.payload.elementsEqual(json) {
                    report.add(layout.journal, record.offset, "record \(record.sequence) is not the canonical form of what it says")
                }
                let facts = RecordFacts(entry)
                // Opening and rebuilding read only a record's facts; they must read what the whole record says.
                if (try? RecordFacts(payload: record.payload, path: layout.journal, offset: record.offset)) != facts {
                    report.add(layout.journal, record.offset, "record \(record.sequence)'s index facts read differently from the record as a whole")
                }
                let stored = tree.append(leafHash: facts.leafHash(sequence: record.sequence))
                if let problem = storedHashes.compare(stored, leaf: record.sequence) { report.add(layout.hashes, problem.offset, problem.message) }
                while let check = nextCheck, check.size == tree.size {
                    report.checkpoints += 1
                    if check.root != tree.root {
                        report.add(layout.checkpoints, nil, "the root signed at size \(check.size) does not match the journal's first \(check.size) records")
                    }
                    nextCheck = checks.next()
                }
                if record.offset < coverage { expected.apply(facts, at: record.offset) }
                guard let change = entry.change else { return }
                if change.previous != lastOffsets[change.id] {
                    report.add(layout.journal, record.offset, "record \(record.sequence) does not chain to \(change.id)'s previous record")
                }
                lastOffsets[change.id] = record.offset
                do {
                    states[change.id] = try LifeCycle.apply(change.event, to: states[change.id], qualification: try Catalog.qualification(change.id.qualification))
                } catch {
                    report.add(layout.journal, record.offset, "record \(record.sequence) does not fit \(change.id)'s history: \(error)")
                }
                if owners[change.id] == nil { owners[change.id] = entry.authority }
                if let issued = change.credential { credentials[change.id] = (StateBlock.digest(of: issued), record.offset) }
                do {
                    guard let stored = try StateBlock.record(in: record.payload, id: change.id, path: layout.journal, offset: record.offset) else { return }
                    let current = credentials[change.id]
                    if stored.registration != states[change.id] || stored.authority != owners[change.id]
                        || stored.credential.map(StateBlock.digest) != current?.digest || stored.credentialOffset != current?.offset
                    {
                        report.add(layout.journal, record.offset, "record \(record.sequence)'s state block is not \(change.id)'s history folded")
                    }
                } catch {
                    report.add(error, file: layout.journal)
                }
            }
            if let torn { report.add(layout.journal, torn.offset, "the journal ends in a torn record (\(torn.bytes) bytes); the next writer cuts it off") }
        } catch {
            report.add(error, file: layout.journal)
        }
        report.registrations = states.count
        if let extra = storedHashes.finish(after: tree.size) { report.add(layout.hashes, extra.offset, extra.message) }
        if let check = nextCheck {
            report.add(layout.checkpoints, nil, "a checkpoint of \(check.size) records was signed but the journal holds only \(tree.size)")
        }
        auditLatestCheckpoint(published, layout: layout, config: config, history: history, report: &report)
        if let index { auditIndex(index, layout: layout, expected: expected, report: &report) }
        return report
    }

    private static func auditLatestCheckpoint(
        _ published: Result<[UInt8], StoreError>, layout: RegistryLayout, config: RegistryConfig,
        history: CheckpointHistory.Contents, report: inout AuditReport
    ) {
        do {
            let note = try SignedNote(parsing: try published.get())
            _ = try note.verify(with: [try NoteVerifier(vkey: config.logKey)])
            let checkpoint = try Checkpoint(text: note.text)
            // One behind is a crash between recording a checkpoint and publishing it; the next signing publishes it.
            let last = history.entries.last?.size ?? 0
            if checkpoint.size > last {
                report.add(
                    layout.checkpoints, history.end,
                    "the history ends at \(last) records, before the published checkpoint (\(checkpoint.size)): "
                        + (history.torn ? "its last line is damaged" : "it is older than log/checkpoint"))
            } else if !history.entries.suffix(2).contains(where: { $0 == (checkpoint.size, checkpoint.root) }) {
                report.add(layout.checkpoint, nil, "the latest checkpoint (\(checkpoint.size)) is not the last one signed (\(last))")
            }
        } catch {
            report.add(error, file: layout.checkpoint)
        }
    }

    private static func auditIndex(_ index: RegistryIndex, layout: RegistryLayout, expected: ExpectedIndex, report: inout AuditReport) {
        for runs in index.runs.values {
            for run in runs {
                if let problem = run.verify() { report.add(problem, file: run.path) }
            }
        }
        // A run that cannot be mapped is reported above, by verify(); the lookups stop at it.
        do throws(StoreError) {
            for (key, offset) in expected.registrations {
                report.indexEntries += 1
                if try index.registration(key) != offset {
                    let id = RegistrationKey.decode(key)?.description ?? "\(key)"
                    report.add(layout.indexDirectory, nil, "the index has the wrong latest record for \(id)")
                }
            }
            for (hash, location) in expected.credentials {
                report.indexEntries += 1
                if try index.credential(hash) != location {
                    report.add(layout.indexDirectory, nil, "the index has the wrong place for credential \(CredentialHashText.text(hash))")
                }
            }
            for (key, offset) in expected.requests {
                report.indexEntries += 1
                if try index.request(key) != offset { report.add(layout.indexDirectory, nil, "the index misses a batch row key") }
            }
            for (holder, keys) in expected.holders {
                report.indexEntries += 1
                if !Set(keys).isSubset(of: Set(try index.registrations(of: holder))) {
                    report.add(layout.indexDirectory, nil, "the index misses registrations of a holder")
                }
            }
        } catch {
            report.add(error, file: layout.indexDirectory)
        }
        for kind in IndexKind.allCases {
            for run in index.runs[kind] ?? [] where !expected.contains(run: run) {
                report.add(run.path, nil, "the index run holds entries the journal does not")
            }
        }
        do {
            if try index.statusLedger() != expected.ledger {
                report.add(layout.indexDirectory, nil, "the status snapshot does not match the journal")
            }
        } catch {
            report.add(error, file: layout.indexDirectory)
        }
    }
}

/// `sha256:<hex>` without depending on the credentials module's helper in messages.
enum CredentialHashText {
    static func text(_ hash: SHA256.Digest) -> String { "sha256:" + hash.hex }
}
