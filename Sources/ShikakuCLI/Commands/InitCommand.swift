import ShikakuJSON
import ShikakuModel
import ShikakuStore

/// `shikaku init`: a new registry with its keys, secret and first checkpoint.
enum InitCommand: Command {
    static let path = ["init"]
    static let abstract = "Create a registry: authorities, keys, journal and a first signed checkpoint"
    static let usage = ["init [--registry DIR] [--name NAME] [--prefecture P ...] [--origin ORIGIN] [--base-url URL] --passphrase-file FILE"]
    static let discussion = """
        Creates the registry folder with one national authority (厚生労働大臣, id mhlw), which registers the national
        qualifications, and one authority per --prefecture (id = its romaji, e.g. tokyo), which registers
        准看護師, 栄養士, 保育士 and 介護支援専門員 in its prefecture. Every key is Ed25519, PKCS#8-encrypted under the
        passphrase, mode 0600, in DIR/keys/. The holder-key secret (which turns My Numbers into holder keys) is
        sealed there too. Back up the whole folder; without the passphrase the keys cannot be used.
        --origin names the transparency log (default shikaku.localhost/registry/<id>); --base-url is where the
        export folder will be served, and is written into every credential's status list URLs.
        """
    static let options = [
        RegistryAccess.option, OptionSpec("name", value: "NAME", help: "a name for the registry"),
        OptionSpec("prefecture", value: "P", help: "add a prefectural authority (romaji, Japanese name or JIS code)", repeatable: true),
        OptionSpec("national-name", value: "NAME", help: "the national authority's name (default 厚生労働大臣)"),
        OptionSpec("origin", value: "ORIGIN", help: "the log's origin, a schema-less URL"),
        OptionSpec("base-url", value: "URL", help: "where the export folder is served (https://…)"),
    ] + Secrets.options
    static let examples = [
        Example(command: "shikaku init --registry /srv/shikaku --prefecture tokyo --passphrase-file ~/.shikaku-pass",
            explanation: "a registry for the ministry and Tokyo"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        var authorities = [Registry.AuthoritySpec(id: "mhlw", name: invocation.option("national-name") ?? "厚生労働大臣", prefecture: nil)]
        for name in invocation.options("prefecture") {
            guard let prefecture = Prefecture.named(name) else {
                throw CLIError(.invalidValue, "--prefecture: \"\(name)\" is not a prefecture (use romaji like tokyo, a name like 東京都, or a code like 13)",
                    command: path)
            }
            authorities.append(.init(id: prefecture.romanized, name: "\(prefecture.name)知事", prefecture: prefecture))
        }
        if let url = invocation.option("base-url"), !url.hasPrefix("https://") && !url.hasPrefix("http://") {
            throw CLIError(.invalidValue, "--base-url must be an http(s) URL", command: path)
        }
        let root = RegistryAccess.path(invocation)
        let registry = try Registry.create(
            at: root, name: invocation.option("name") ?? "Shikaku registry", origin: invocation.option("origin"),
            baseURL: invocation.option("base-url"), authorities: authorities, passphrase: try Secrets.passphrase(invocation))
        let config = registry.config
        if invocation.json {
            invocation.console.write(json: [
                "registry": .string(root), "id": .string(config.id), "origin": .string(config.origin), "logKey": .string(config.logKey),
                "authorities": .array(config.authorities.map { ["id": .string($0.id), "name": .string($0.name), "key": .string($0.keys[0].did)] }),
            ])
        } else {
            var text = "Created registry \(config.name) at \(root)\n"
            var fields = FieldList()
            fields.append("id", config.id)
            fields.append("log", "\(config.origin) (verifier key \(config.logKey))")
            fields.append("published at", config.baseURL)
            for authority in config.authorities {
                fields.append(authority.id, "\(authority.name): \(authority.qualifications.count) qualifications, key \(authority.keys[0].did.prefix(24))…")
            }
            text += fields.render()
            invocation.console.write(text)
        }
        return .success
    }
}
