import Glibc
import ShikakuCredentials
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// The shared run of every command that records one event: open the office, do it, commit, report.
enum OfficeRun {
    /// Options every recording command takes.
    static let options: [OptionSpec] = [RegistryAccess.option, RegistryAccess.asOption] + Secrets.options + [
        OptionSpec("out", value: "FILE", help: "write the new credential (if the event issues one) to FILE"),
    ]

    /// The `--out FILE` given, once its folder is checked to be there: before anything is recorded, so that an
    /// event is not committed only for its credential to have nowhere to go.
    static func outPath(_ invocation: Invocation) throws(CLIError) -> String? {
        guard let path = invocation.option("out") else { return nil }
        var status = stat()
        let folder = Path.directory(of: path)
        guard stat(folder.isEmpty ? "." : folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw CLIError(.invalidValue, "--out \(path): the folder \(folder) does not exist; create it first", command: invocation.command.path)
        }
        return path
    }

    /// Opens the office, runs `body`, commits, and prints what was done.
    static func perform(_ invocation: Invocation, _ body: (Office) throws -> Void) throws -> ExitCode {
        let out = try outPath(invocation)
        let office = try RegistryAccess.office(invocation)
        try body(office)
        // A durable event counts even when its checkpoint is not signed: say what was recorded before the error,
        // so that nobody records it twice.
        let (outcomes, unsigned) = try office.commitKeepingOutcomes()
        guard let outcome = outcomes.last else { preconditionFailure("an office command recorded nothing") }
        if let credential = outcome.credential, let out {
            try OfficeRun.write(credential.document, to: out)
        }
        report(outcome, office: office, invocation: invocation, signed: unsigned == nil)
        if let unsigned { throw unsigned }
        return .success
    }

    static func report(_ outcome: Office.Outcome, office: Office, invocation: Invocation, signed: Bool = true) {
        if invocation.json {
            var object: JSONObject = [
                "registration": .string(outcome.id.description), "event": .string(outcome.kind),
                "sequence": .number(JSONNumber(Int(outcome.sequence))),
            ]
            object["credential"] = outcome.credential.map { .string($0.hashText) } ?? .null
            object["logSize"] = .number(JSONNumber(Int(office.registry.size)))
            invocation.console.write(json: .object(object))
            return
        }
        var text = "\(verb(outcome.kind)) \(RegistrationView.title(outcome.id)) (\(outcome.id))\n"
        var fields = FieldList()
        if let credential = outcome.credential { fields.append("credential", credential.hashText) }
        fields.append("log entry", "\(outcome.sequence) of \(office.registry.size)" + (signed ? ", checkpoint signed" : ", no checkpoint yet"))
        text += fields.render()
        invocation.console.write(text)
    }

    private static func verb(_ kind: String) -> String {
        switch kind {
        case "register": "Registered"
        case "amend": "Amended"
        case "record-addition": "Recorded an addition on"
        case "renew": "Renewed the card of"
        case "retrain": "Issued a new card after re-training for"
        case "report": "Recorded the periodic report of"
        case "dispose": "Recorded a disposition on"
        case "reinstate": "Reinstated"
        case "relicense": "Licensed again"
        case "reissue": "Reissued the certificate of"
        case "erase": "Erased"
        default: "Recorded \(kind) on"
        }
    }

    /// A credential as the files hold it: indented JSON and a newline.
    static func bytes(of document: JSONObject) -> [UInt8] { Array(JSONValue.object(document).prettyPrinted().utf8) + [0x0A] }

    /// Writes a credential as indented JSON: a regular file (or none yet) is replaced durably (a crash leaves
    /// the old one or the new one whole), keeping its permissions; anything else, a symbolic link, a device or
    /// a pipe (`/dev/stdout`), is written through as it is.
    static func write(_ document: JSONObject, to path: String) throws {
        let bytes = bytes(of: document)
        var status = stat()
        let exists = lstat(path, &status) == 0
        if !exists || status.st_mode & S_IFMT == S_IFREG {
            do {
                return try PosixFileSystem().replaceDurably(path, with: bytes, permissions: exists ? UInt32(status.st_mode & 0o777) : 0o644)
            } catch {
                throw StoreError(.io, "cannot write \(path): \(error.errno.map { String(cString: strerror($0)) } ?? error.message)", path: path, errno: error.errno)
            }
        }
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.io, "cannot write \(path): \(String(cString: strerror(errno)))", path: path, errno: errno)
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw StoreError(.io, "cannot write \(path): \(String(cString: strerror(errno)))", path: path, errno: errno) }
            offset += written
        }
    }
}
