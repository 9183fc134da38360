import ShikakuCredentials
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// `shikaku credential REG`: the current signed credential, its hash, and an offline bundle.
enum CredentialCommand: Command {
    static let path = ["credential"]
    static let abstract = "Export a registration's current signed credential, its hash, and an offline bundle"
    static let usage = ["credential REG [--out FILE] [--bundle DIR] [--json]"]
    static let positionals = 1...1
    static let discussion = """
        Prints the credential (W3C VC 2.0, eddsa-jcs-2022) or writes it to --out, and prints its hash
        (sha256 of its RFC 8785 form), which is what an employer may keep instead. --bundle DIR also writes what a
        fully offline check needs: the credential, the log's inclusion proof (tlog-proof), the signed trust list,
        the log's key and the current status lists. Writing the trust list and status lists signs them, so
        --bundle needs the passphrase.
        """
    static let options = [
        RegistryAccess.option, OptionSpec("out", value: "FILE", help: "write the credential to FILE"),
        OptionSpec("bundle", value: "DIR", help: "write an offline verification bundle into DIR"),
    ] + Secrets.options
    static let examples = [
        Example(command: "shikaku credential physician:0000001 --out yamada.json", explanation: "the credential and its hash"),
        Example(command: "shikaku credential physician:0000001 --bundle yamada/", explanation: "for a verifier with no network"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let id = try RegistryAccess.registrationID(invocation)
        let out = try OfficeRun.outPath(invocation)
        let registry = try RegistryAccess.reader(invocation)
        guard let record = try registry.record(of: id) else {
            throw OfficeError(.unknownRegistration, "the registry has no registration \(id)")
        }
        guard let credential = try registry.credential(for: record) else {
            throw OfficeError(.unknownCredential, "\(id) has no credential")
        }
        // The bundle first: what can fail there (the passphrase, a credential no checkpoint covers yet) then
        // fails before --out is replaced.
        if let folder = invocation.option("bundle") { try writeBundle(credential, registry: registry, to: folder, invocation: invocation) }
        if let out { try OfficeRun.write(credential.document, to: out) }
        if invocation.json {
            invocation.console.write(json: ["registration": .string(id.description), "hash": .string(credential.hashText), "credential": .object(credential.document)])
        } else if invocation.option("out") == nil && invocation.option("bundle") == nil {
            invocation.console.write(JSONValue.object(credential.document).prettyPrinted() + "\n")
            invocation.console.writeError("hash \(credential.hashText)\n")
        } else {
            invocation.console.write("\(RegistrationView.title(id)) (\(id))\n  hash  \(credential.hashText)\n")
        }
        return .success
    }

    private static func writeBundle(_ credential: IssuedCredential, registry: Registry, to folder: String, invocation: Invocation) throws {
        let passphrase = try Secrets.passphrase(invocation)
        let issuers = try registry.config.authorities.map { try registry.issuer($0.id, passphrase: passphrase) }
        let proof = try Publication.proofBundle(for: credential.hash, in: registry)
        // Written under the export's lock with the rest, so that a bundle's credential and proof go together.
        _ = try Publication.export(
            registry, to: folder, logKey: try registry.logKey(passphrase: passphrase), issuers: issuers, now: .now(),
            lockTimeout: try RegistryAccess.lockTimeout(invocation),
            alongside: [("credential.json", OfficeRun.bytes(of: credential.document)), ("credential.tlog-proof", Array(proof.text.utf8))])
    }
}
