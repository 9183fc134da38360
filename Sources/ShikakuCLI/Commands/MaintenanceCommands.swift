import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku audit`: replay everything and report every difference.
enum AuditCommand: Command {
    static let path = ["audit"]
    static let abstract = "Replay the journal and check every record, hash, checkpoint and index against it"
    static let usage = ["audit [--json]"]
    static let discussion = """
        Reads the whole journal (frames and checksums, each registration's chain and that it folds), recomputes
        every stored Merkle hash and the root of every checkpoint the registry ever signed, verifies the latest
        checkpoint's signature, and compares every index entry and the status snapshot with the journal. It only
        reads. Exit code 0 when clean, 1 when it found differences, each named with its file and byte offset.
        """
    static let options = [RegistryAccess.option]
    static let examples = [Example(command: "shikaku audit", explanation: "a full check, e.g. nightly or after restoring a backup")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let report = Registry.audit(RegistryAccess.path(invocation))
        if invocation.json {
            invocation.console.write(json: [
                "clean": .bool(report.isClean), "records": .number(JSONNumber(Int(report.records))),
                "registrations": .number(JSONNumber(report.registrations)), "checkpoints": .number(JSONNumber(report.checkpoints)),
                "indexEntries": .number(JSONNumber(report.indexEntries)), "indexedRecords": report.indexedRecords.map { .number(JSONNumber(Int($0))) } ?? .null,
                "problems": .array(report.problems.map { problem in
                    ["file": .string(problem.file), "offset": problem.offset.map { .number(JSONNumber(Int($0))) } ?? .null,
                        "message": .string(problem.message)]
                }),
            ])
        } else {
            func counted(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
            var text = report.isClean ? "Audit passed" : "Audit found " + counted(report.problems.count, "problem", "problems")
            text += ": " + counted(Int(report.records), "record", "records") + ", " + counted(report.registrations, "registration", "registrations")
            text += ", " + counted(report.checkpoints, "signed checkpoint", "signed checkpoints") + ", "
            text += counted(report.indexEntries, "index entry", "index entries") + " checked"
            // A small registry has no index runs yet: say why none were checked.
            if let indexed = report.indexedRecords, indexed < report.records {
                text += " (the index files cover \(indexed) of the \(report.records) records; each open replays the rest)"
            }
            text += "\n"
            for problem in report.problems { text += "  \(problem)\n" }
            invocation.console.write(text)
        }
        return report.isClean ? .success : .notValid
    }
}

/// `shikaku export DIR`: the static folder any web server can serve.
enum ExportCommand: Command {
    static let path = ["export"]
    static let abstract = "Write the public folder: checkpoint, log tiles, trust list, keys and status lists"
    static let usage = ["export DIR [--json]"]
    static let positionals = 1...1
    static let discussion = """
        Writes files any web server or CDN can serve at the registry's base URL, with no personal data: the latest
        checkpoint, the log as C2SP tlog-tiles (hashes and leaf entries), the log's verifier key, the trust list
        (signed by the log key) and each authority's revocation and suspension status lists (signed, valid one
        day: export daily). Exporting into the same folder again writes only what changed: a status list is
        signed again when its bits change or less than half of its day is left, the trust list when it changes.
        Other files in the folder are left alone; a file where the export needs a folder (or the reverse) stops it.
        One export at a time writes into a folder (it locks the empty file .lock there); another waits for it
        up to SHIKAKU_LOCK_TIMEOUT seconds (default 10).
        """
    static let options = [RegistryAccess.option] + Secrets.options
    static let examples = [Example(command: "shikaku export /var/www/shikaku", explanation: "publish")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let registry = try RegistryAccess.reader(invocation)
        let passphrase = try Secrets.passphrase(invocation)
        let issuers = try registry.config.authorities.map { try registry.issuer($0.id, passphrase: passphrase) }
        let summary = try Publication.export(
            registry, to: invocation.positionals[0], logKey: try registry.logKey(passphrase: passphrase), issuers: issuers, now: .now(),
            lockTimeout: try RegistryAccess.lockTimeout(invocation))
        if invocation.json {
            invocation.console.write(json: [
                "folder": .string(invocation.positionals[0]), "logSize": .number(JSONNumber(Int(summary.size))),
                "written": .number(JSONNumber(summary.written)), "unchanged": .number(JSONNumber(summary.unchanged)),
            ])
        } else {
            invocation.console.write(
                "Exported the log of \(summary.size) entries to \(invocation.positionals[0]): \(summary.written) files written, \(summary.unchanged) unchanged\n")
        }
        return .success
    }
}

/// `shikaku index rebuild`: remake the derived files from the journal.
enum IndexRebuildCommand: Command {
    static let path = ["index", "rebuild"]
    static let abstract = "Rebuild the indexes and the stored Merkle hashes from the journal"
    static let usage = ["index rebuild [--json]"]
    static let options = [RegistryAccess.option]
    static let examples = [Example(command: "shikaku index rebuild", explanation: "after audit reports a damaged index")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let registry = try RegistryAccess.writer(invocation)
        let records = try registry.rebuildIndexes()
        if invocation.json {
            invocation.console.write(json: ["records": .number(JSONNumber(Int(records)))])
        } else {
            invocation.console.write("Rebuilt the indexes and hashes from \(records) journal records\n")
        }
        return .success
    }
}

/// `shikaku keys list` and `shikaku keys rotate`.
enum KeysListCommand: Command {
    static let path = ["keys", "list"]
    static let abstract = "List each authority's signing keys and their validity windows"
    static let usage = ["keys list [--json]"]
    static let options = [RegistryAccess.option]
    static let examples = [
        Example(command: "shikaku keys list", explanation: "the log's key, then each authority's keys and their windows"),
        Example(command: "shikaku keys list --json", explanation: "the trust list's content (the signed copy is trust-list.json in an export)"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let registry = try RegistryAccess.reader(invocation)
        if invocation.json {
            invocation.console.write(json: .object(registry.config.trustList.document))
            return .success
        }
        var table = TextTable(["Authority", "Key", "Valid from", "Valid until"])
        for authority in registry.config.authorities {
            for key in authority.keys {
                table.append([authority.id, key.did, key.validFrom.iso, key.validUntil?.iso ?? "current"])
            }
        }
        invocation.console.write("log  \(registry.config.logKey)\n" + table.render())
        return .success
    }
}

enum KeysRotateCommand: Command {
    static let path = ["keys", "rotate"]
    static let abstract = "Replace an authority's signing key; credentials signed before stay valid"
    static let usage = ["keys rotate [--as AUTHORITY] [--json]"]
    static let options = [RegistryAccess.option, RegistryAccess.asOption] + Secrets.options
    static let examples = [Example(command: "shikaku keys rotate --as tokyo", explanation: "a new key for 東京都知事")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let registry = try RegistryAccess.writer(invocation)
        let passphrase = try Secrets.passphrase(invocation)
        let authority = invocation.option("as") ?? registry.config.defaultAuthority
        guard registry.config.authority(authority) != nil else {
            let known = registry.config.authorities.map(\.id).joined(separator: ", ")
            throw OfficeError(.unknownAuthority, "the registry has no authority \"\(authority)\"; it has: \(known)")
        }
        let did = try registry.rotateKey(of: authority, passphrase: passphrase, logKey: try registry.logKey(passphrase: passphrase))
        if invocation.json {
            invocation.console.write(json: ["authority": .string(authority), "key": .string(did)])
        } else {
            invocation.console.write("\(authority) now signs with \(did); the previous key's window is closed\n")
        }
        return .success
    }
}
