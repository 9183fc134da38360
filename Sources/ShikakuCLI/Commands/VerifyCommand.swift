import Glibc
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku verify`: is a credential, or a hash, valid — offline against an export folder or bundle, or
/// against the registry.
enum VerifyCommand: Command {
    static let path = ["verify"]
    static let abstract = "Verify credentials (offline, or against the registry), a credential's hash, or a staff list"
    static let usage = [
        "verify FILE ... [--trust DIR [--vkey VKEY]] [--proof FILE] [--at DATE] [--json]",
        "verify --hash sha256:HEX [--at DATE] [--json]",
        "verify --batch FILE [--trust DIR] [--at DATE] [--json]",
    ]
    static let positionals = 0...1000
    /// Verifying needs public keys only: an employer's check starts faster.
    static let opensKeys = false
    static let discussion = """
        Each check is reported passed, failed or skipped with its reason: syntax, proof (eddsa-jcs-2022), issuerKey
        (in the trust list, valid when it signed, entitled to the qualification), validity dates, status per purpose
        (revocation, suspension), the registry (superseded?) and the log (inclusion under the signed checkpoint).
        With --trust DIR (an export folder or a bundle from `shikaku credential --bundle`) nothing else is read, and a
        bundle's log proof (credential.tlog-proof) is used for the credential it was made for; without --trust, the
        registry is. The folder's trust list is checked against the registry key in its log.vkey: give the key you
        got from the registry itself (its web page, `shikaku keys list`) with --vkey, so that a folder swapped whole
        is refused. --at asks about a past or future day: validity dates and, against the registry, the
        suspensions in force that day. A published status list speaks only for the time it was signed, must be fresh
        now (validUntil, ttl), and each status check names the list or registry day it rests on. --hash answers for an employer who holds only the hash: active, suspended until,
        revoked, expired, superseded or unknown, with the qualification, register, number and holder's name.
        --batch reads a file of credential paths or sha256: hashes, one a line, and prints a verdict a line; an entry
        that cannot be checked (a file that cannot be read, a malformed hash, a hash with --trust) gets a NOT CHECKED
        line and the rest go on. With --json, one JSON object a line (JSON Lines), however many were asked about.
        Exit codes: 0 all valid, 1 any not valid, 2 usage, 3 unreadable input (any entry not checked).
        """
    static let options = [
        RegistryAccess.option, OptionSpec("trust", value: "DIR", help: "verify offline against this export folder or bundle"),
        OptionSpec("vkey", value: "VKEY", help: "with --trust: the registry key (log.vkey) you trust; the folder's must be it"),
        OptionSpec("proof", value: "FILE", help: "a tlog-proof bundle for the log check"),
        OptionSpec("at", value: "DATE", help: "ask about this day (YYYY-MM-DD) or instant (…Z) instead of now"),
        OptionSpec("hash", value: "sha256:HEX", help: "verify a credential's hash against the registry"),
        OptionSpec("batch", value: "FILE", help: "verify every credential path or hash listed in FILE"),
    ]
    static let examples = [
        Example(command: "shikaku verify yamada.json --trust public/", explanation: "offline, against the exported folder"),
        Example(
            command: "shikaku verify yamada.json --trust public/ --vkey \"$(cat registry.vkey)\"",
            explanation: "and only if the folder is signed by the registry key you were given"),
        Example(command: "shikaku verify --hash sha256:1aa4…", explanation: "an employer holding only the hash"),
        Example(command: "shikaku verify --batch staff.txt --json", explanation: "a whole staff list, JSON Lines"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        // Before the trust list or registry is looked for: with nothing to verify, that is the mistake to name.
        guard !invocation.positionals.isEmpty || invocation.option("hash") != nil || invocation.option("batch") != nil else {
            throw CLIError(.missingArgument, "give credential files, --hash or --batch", command: path)
        }
        try invocation.atMostOne(of: ["hash", "batch"], "a hash is checked on its own; put hashes in the --batch file, one a line")
        if invocation.option("hash") != nil, !invocation.positionals.isEmpty {
            throw CLIError(.conflictingOptions, "--hash is checked on its own: verify the files in another command, or list both in --batch", command: path)
        }
        try invocation.requires("vkey", "trust", "the key pins the registry that signed the export folder named with --trust")
        let now = Timestamp.now()
        let at = try moment(invocation, now: now)
        let context = try VerificationContext(invocation, at: at)
        if let hash = invocation.option("hash") {
            return try verifyHash(hash, context: context, at: at, invocation: invocation) ? .success : .notValid
        }
        var targets = invocation.positionals
        if let batch = invocation.option("batch") {
            targets += String(decoding: try readInput(batch), as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        guard !targets.isEmpty else {
            throw CLIError(.missingArgument, "give credential files, --hash or --batch", command: path)
        }
        let proof = try invocation.option("proof").map(readInput)
        // A verdict a line for a staff list; with several targets, one that cannot be checked is a verdict too.
        let lines = invocation.option("batch") != nil
        let several = lines || targets.count > 1
        var allValid = true
        var unchecked = false
        for target in targets {
            do {
                if target.hasPrefix("sha256:") {
                    allValid = try verifyHash(target, context: context, at: at, invocation: invocation, line: true) && allValid
                    continue
                }
                let bytes = try readInput(target)
                let report = context.verifier(proof: proof ?? context.bundleProof(for: bytes)).verify(bytes, at: at, now: now)
                allValid = report.isValid && allValid
                print(report, name: target, invocation: invocation, line: lines)
            } catch let error as CLIError where several {
                unchecked = true
                printUnchecked(target, error, invocation: invocation)
            }
        }
        return unchecked ? .badInput : allValid ? .success : .notValid
    }

    /// The verdict line of a target that could not be checked at all: an unreadable file, a malformed hash.
    private static func printUnchecked(_ target: String, _ error: CLIError, invocation: Invocation) {
        let code = error.isUsage ? CLIError.Code.unreadableInput.rawValue : error.code.rawValue
        if invocation.json {
            invocation.console.writeLine(json: [
                target.hasPrefix("sha256:") ? "hash" : "file": .string(target), "valid": false, "checked": false,
                "error": ["code": .string(code), "message": .string(error.message)],
            ])
        } else {
            invocation.console.write("NOT CHECKED (\(code)): \(error.message)  \(target)\n")
        }
    }

    private static func verifyHash(_ text: String, context: VerificationContext, at: Timestamp, invocation: Invocation, line: Bool = false) throws -> Bool {
        guard let hash = CredentialHash.parse(text), text.hasPrefix("sha256:") || text.utf8.count == 64 else {
            throw CLIError(.invalidValue, "\"\(text.prefix(80))\" is not a credential hash: write sha256: and 64 hex digits", command: path)
        }
        guard let registry = context.registry else {
            throw CLIError(.invalidValue, "verifying a hash needs the registry (--registry), not an export folder", command: path)
        }
        let verdict = try HashVerdict.lookUp(hash, in: registry, on: at.dateInJapan)
        if invocation.json {
            var object = verdict.json.objectValue ?? [:]
            object["hash"] = .string(CredentialHash.text(hash))
            invocation.console.writeLine(json: .object(object))
        } else {
            // Written as a file's reasons are (NOT_YET_VALID); the JSON keeps the status's own spelling.
            let reason = String(verdict.status.rawValue.uppercased().map { $0 == "-" ? "_" : $0 })
            var text = verdict.isValid ? "VALID" : "NOT VALID (\(reason))"
            if let until = verdict.until { text += verdict.status == .suspended ? " until \(until.iso)" : " since \(until.adding(days: 1).iso)" }
            if let from = verdict.from { text += " from \(from.iso)" }
            if let id = verdict.registration {
                text += ": \(verdict.qualificationName ?? "") \(verdict.holderName ?? "") — \(RegistrationView.title(id)) (\(id))"
            } else {
                text += ": the registry did not issue this credential"
            }
            invocation.console.write(text + (line ? "  \(CredentialHash.text(hash))" : "") + "\n")
        }
        return verdict.isValid
    }

    private static func print(_ report: VerificationReport, name: String, invocation: Invocation, line: Bool) {
        if invocation.json {
            var object = report.json.objectValue ?? [:]
            object["file"] = .string(name)
            // JSON Lines: one object a credential, however many were asked about.
            invocation.console.writeLine(json: .object(object))
            return
        }
        var text = report.isValid ? "VALID" : "NOT VALID (\(report.failure?.code.rawValue ?? "?"))"
        if let summary = report.summary {
            text += ": \(summary.qualificationName) \(summary.holderName) — \(summary.register) 第\(summary.registrationNumber)号, issued by \(summary.issuerName)"
        }
        text += line ? "  \(name)\n" : "\n"
        if !line {
            var table = TextTable(["", "Check", "Detail"])
            for check in report.checks {
                let mark = switch check.outcome {
                case .passed: "ok"
                case .failed: "FAIL"
                case .skipped: "skip"
                }
                table.append([mark, check.name, check.reason.map { "\($0.code): \(check.detail)" } ?? check.detail])
            }
            text += table.render().split(separator: "\n").dropFirst(2).map { "  " + $0 + "\n" }.joined()
        }
        invocation.console.write(text)
    }

    private static func moment(_ invocation: Invocation, now: Timestamp) throws -> Timestamp {
        guard let text = invocation.option("at") else { return now }
        if !text.contains("T") {
            // A day asks about the day's end in Japan, so that a credential valid that day counts.
            let day = try CalendarDate(iso: text, field: "--at")
            return Timestamp(secondsSinceEpoch: Timestamp(startOfDayInJapan: day.adding(days: 1)).secondsSinceEpoch - 1)
        }
        return try Timestamp(iso: text, field: "--at")
    }

    /// The bytes of a file, or standard input for `-`.
    static func readInput(_ path: String) throws -> [UInt8] {
        let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CLIError(.unreadableInput, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { if path != "-" { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw CLIError(.unreadableInput, "cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            bytes += chunk[0..<count]
            guard bytes.count <= 16 << 20 else { throw CLIError(.unreadableInput, "\(path) is larger than 16 MiB") }
        }
        return bytes
    }
}

/// What a verification trusts: an export folder or bundle (`--trust`), or the registry.
struct VerificationContext {
    let trust: TrustList
    let status: any StatusSource
    let registry: Registry?
    let logVerifier: NoteVerifier?

    /// The `credential.tlog-proof` of a bundle folder given as `--trust`, if it has one.
    let bundleProof: [UInt8]?

    /// The context `invocation` asks for, as of `at`: suspensions are those in force on that day.
    init(_ invocation: Invocation, at: Timestamp) throws {
        if let folder = invocation.option("trust") {
            let proofPath = Path.join(folder, "credential.tlog-proof")
            bundleProof = access(proofPath, F_OK) == 0 ? try VerifyCommand.readInput(proofPath) : nil
            let files = PosixFileSystem()
            let vkey = String(decoding: try VerifyCommand.readInput(Path.join(folder, "log.vkey")), as: UTF8.self).trimmingCharacters()
            // The folder's own key proves only that the folder agrees with itself; a pinned key ties it to the registry.
            if let pinned = invocation.option("vkey"), pinned != vkey {
                throw CredentialError(
                    .trustList,
                    "the registry key in \(Path.join(folder, "log.vkey")) (\(vkey)) is not the one given with --vkey (\(pinned)): "
                        + "this folder is not from the registry you trust")
            }
            let verifier = try NoteVerifier(vkey: vkey)
            guard case .object(let document) = try JSONValue.parse(try VerifyCommand.readInput(Path.join(folder, "trust-list.json"))) else {
                throw CredentialError(.trustList, "trust-list.json is not a JSON object")
            }
            trust = try TrustList(signed: document, registryKey: verifier.publicKey)
            status = PublishedStatusLists { url in
                guard let range = url.firstRange(of: "/status/") else { return nil }
                let path = Path.join(folder, String(url[url.index(after: range.lowerBound)...]))
                guard let bytes = try? files.readAll(path) else { return nil }
                return (try? JSONValue.parse(bytes))?.objectValue
            }
            registry = nil
            logVerifier = verifier
        } else {
            bundleProof = nil
            let opened = try RegistryAccess.reader(invocation)
            trust = opened.config.trustList
            status = RegistryStatus(registry: opened, today: at.dateInJapan)
            registry = opened
            logVerifier = try opened.logVerifier
        }
    }

    /// The bundle folder's proof, when it is about the credential in `bytes` (a bundle is made for one credential;
    /// for any other, the log check is skipped as without a proof). A malformed proof is given anyway, to fail.
    func bundleProof(for bytes: [UInt8]) -> [UInt8]? {
        guard let bundleProof else { return nil }
        guard let bundle = try? ProofBundle(text: String(decoding: bundleProof, as: UTF8.self)) else { return bundleProof }
        guard case .object(let document)? = try? JSONValue.parse(bytes),
            let leaf = try? JSONValue.parse(bundle.leaf).objectValue,
            leaf["credential"]?.stringValue == CredentialHash.text(IssuedCredential(document: document).hash)
        else { return nil }
        return bundleProof
    }

    /// A verifier using this context, with a proof bundle if one was given.
    func verifier(proof: [UInt8]?) -> CredentialVerifier {
        let registryAnswer: (@Sendable (SHA256.Digest) -> CredentialVerifier.RegistryAnswer)?
        var log: (@Sendable (SHA256.Digest) -> FailureReason?)?
        if let registry {
            let box = UncheckedBox(registry)
            registryAnswer = { hash in
                do {
                    guard let (id, location) = try box.value.credential(hash), let record = try box.value.record(of: id) else { return .unknown }
                    return record.credential?.hash == hash ? .current : .superseded(bySerial: record.credential?.serial ?? location.serial)
                } catch {
                    return .unreadable("\(error)")
                }
            }
            log = { hash in
                do {
                    let bundle = try Publication.proofBundle(for: hash, in: box.value)
                    return Publication.check(bundle, names: hash, verifier: try box.value.logVerifier)
                } catch {
                    return FailureReason(.logInclusion, "\(error)")
                }
            }
        } else {
            registryAnswer = nil
        }
        if let proof, let verifier = logVerifier {
            log = { hash in
                guard let bundle = try? ProofBundle(text: String(decoding: proof, as: UTF8.self)) else {
                    return FailureReason(.logInclusion, "the proof bundle is malformed")
                }
                return Publication.check(bundle, names: hash, verifier: verifier)
            }
        }
        return CredentialVerifier(trust: trust, status: status, registry: registryAnswer, log: log)
    }
}

/// Hands a non-Sendable reference to closures that run on this thread only.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line ends.
    func trimmingCharacters() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }),
            let last = scalars.lastIndex(where: { !" \t\r\n".unicodeScalars.contains($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
