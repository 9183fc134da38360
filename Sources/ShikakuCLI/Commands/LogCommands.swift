import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku log checkpoint`: the latest signed checkpoint, or a new one.
enum LogCheckpointCommand: Command {
    static let path = ["log", "checkpoint"]
    static let abstract = "Print the latest signed checkpoint of the transparency log (or sign one with --sign)"
    static let usage = ["log checkpoint [--sign] [--json]"]
    static let options = [RegistryAccess.option, OptionSpec("sign", help: "sign a checkpoint over everything committed")] + Secrets.options
    static let examples = [Example(command: "shikaku log checkpoint", explanation: "the C2SP signed note: origin, size, root, signature")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let registry: Registry
        if invocation.flag("sign") {
            registry = try RegistryAccess.writer(invocation)
            try registry.signCheckpoint(with: try registry.logKey(passphrase: try Secrets.passphrase(invocation)))
        } else {
            registry = try RegistryAccess.reader(invocation)
        }
        guard let note = registry.checkpoint else { throw StoreError(.missing, "the registry has no signed checkpoint") }
        if invocation.json {
            let checkpoint = try Checkpoint(text: note.text)
            invocation.console.write(json: [
                "origin": .string(checkpoint.origin), "size": .number(JSONNumber(Int(checkpoint.size))),
                "root": .string(Base64.encode(checkpoint.root.bytes)), "note": .string(String(decoding: note.serialized, as: UTF8.self)),
            ])
        } else {
            invocation.console.write(String(decoding: note.serialized, as: UTF8.self))
        }
        return .success
    }
}

/// `shikaku log prove REG|HASH`: a C2SP tlog-proof bundle.
enum LogProveCommand: Command {
    static let path = ["log", "prove"]
    static let abstract = "Write the inclusion proof of a credential's event (C2SP tlog-proof) for offline checks"
    static let usage = ["log prove REG|sha256:HEX [--out FILE] [--json]"]
    static let positionals = 1...1
    static let options = [RegistryAccess.option, OptionSpec("out", value: "FILE", help: "write the bundle to FILE")]
    static let examples = [Example(command: "shikaku log prove physician:0000001 --out proof.tlog", explanation: "proof for the current credential")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let out = try OfficeRun.outPath(invocation)
        let registry = try RegistryAccess.reader(invocation)
        let target = invocation.positionals[0]
        let hash: SHA256.Digest
        if target.hasPrefix("sha256:") {
            guard let parsed = CredentialHash.parse(target) else {
                throw CLIError(.invalidValue, "\"\(target.prefix(80))\" is not a credential hash: write sha256: and 64 hex digits", command: path)
            }
            hash = parsed
        } else {
            let id = try RegistrationID(parsing: target)
            guard let record = try registry.record(of: id), let credential = record.credential else {
                throw OfficeError(.unknownRegistration, "the registry has no credential for \(id)")
            }
            hash = credential.hash
        }
        let bundle = try Publication.proofBundle(for: hash, in: registry)
        if let out { try PosixFileSystem().replaceDurably(out, with: Array(bundle.text.utf8)) }
        if invocation.json {
            var object: JSONObject = [
                "credential": .string(CredentialHash.text(hash)), "index": .number(JSONNumber(Int(bundle.index))),
                "size": .number(JSONNumber(Int(try Checkpoint(text: bundle.checkpoint.text).size))),
            ]
            if let out { object["out"] = .string(out) } else { object["bundle"] = .string(bundle.text) }
            invocation.console.write(json: .object(object))
        } else if let out {
            invocation.console.write("Wrote the proof of log entry \(bundle.index) to \(out)\n")
        } else {
            invocation.console.write(bundle.text)
        }
        return .success
    }
}

/// `shikaku log consistency OLD NEW`: the proof that the log of NEW entries extends the log of OLD.
enum LogConsistencyCommand: Command {
    static let path = ["log", "consistency"]
    static let abstract = "Print the consistency proof between two log sizes, checked against the roots signed at them"
    static let usage = ["log consistency OLD NEW [--json]"]
    static let positionals = 2...2
    static let options = [RegistryAccess.option]
    static let examples = [Example(command: "shikaku log consistency 3 10", explanation: "proof that 10 entries extend the first 3")]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        guard let old = UInt64(invocation.positionals[0]), let new = UInt64(invocation.positionals[1]) else {
            throw CLIError(.invalidValue, "OLD and NEW are log sizes (whole numbers)", command: path)
        }
        let registry = try RegistryAccess.reader(invocation)
        guard 0 < old, old <= new, new <= registry.size else {
            throw CLIError(
                .invalidValue, "OLD and NEW must satisfy 0 < OLD ≤ NEW ≤ \(registry.size), the log's size; not \(old) and \(new)", command: path)
        }
        let proof = try registry.consistencyProof(from: old, to: new)
        let oldRoot = try registry.root(size: old)
        let newRoot = try registry.root(size: new)
        let verified = Merkle.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
        let signed = try registry.signedCheckpoints
        let matchesSigned = signed.allSatisfy { entry in
            (entry.size != old || entry.root == oldRoot) && (entry.size != new || entry.root == newRoot)
        }
        // A size no checkpoint was signed at has only the registry's own root: say so rather than vouch for it.
        let oldSigned = signed.contains { $0.size == old }, newSigned = signed.contains { $0.size == new }
        if invocation.json {
            invocation.console.write(json: [
                "old": ["size": .number(JSONNumber(Int(old))), "root": .string(Base64.encode(oldRoot.bytes)), "signed": .bool(oldSigned)],
                "new": ["size": .number(JSONNumber(Int(new))), "root": .string(Base64.encode(newRoot.bytes)), "signed": .bool(newSigned)],
                "proof": .array(proof.map { .string(Base64.encode($0.bytes)) }), "verified": .bool(verified && matchesSigned),
            ])
        } else {
            let unsigned = [(old, oldSigned), (new, newSigned)].filter { !$0.1 }.map { String($0.0) }
            var text = "\(old) → \(new): \(verified && matchesSigned ? "consistent" : "NOT consistent")"
            if !unsigned.isEmpty {
                text += " (no checkpoint was signed at size \(unsigned.joined(separator: " or ")): its root is the registry's own, "
                    + "vouched for by no signature; the registry's log/checkpoints lists the sizes signed)"
            }
            text += "\nold root \(Base64.encode(oldRoot.bytes))\nnew root \(Base64.encode(newRoot.bytes))\n"
            text += proof.map { Base64.encode($0.bytes) + "\n" }.joined()
            invocation.console.write(text)
        }
        return verified && matchesSigned ? .success : .notValid
    }
}
