import Glibc
import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// The `shikaku` command line: finds the command, runs it, and turns every error into a message on
/// standard error and a documented exit code. Nothing escapes as a crash.
public enum CLI {
    /// The version `shikaku --version` prints.
    public static let version = "0.1.0"

    /// Every command, in the order `shikaku --help` lists them.
    static var commands: [any Command.Type] {
        [
            InitCommand.self, RegisterCommand.self, AmendCommand.self, RenewCommand.self, ReportCommand.self,
            SuspendCommand.self, ReinstateCommand.self, RevokeCommand.self, RelicenseCommand.self, DisposeCommand.self,
            ReissueCommand.self, EraseCommand.self, ShowCommand.self, HistoryCommand.self, FindCommand.self,
            CredentialCommand.self, VerifyCommand.self, LogCheckpointCommand.self, LogProveCommand.self,
            LogConsistencyCommand.self, AuditCommand.self, ExportCommand.self, IndexRebuildCommand.self,
            KeysListCommand.self, KeysRotateCommand.self, BatchCommand.self, CatalogCommand.self, HelpCommand.self,
        ]
    }

    /// The families of commands, whose first word alone shows their help.
    static let groups = [
        CommandGroup(
            name: "log", abstract: "The transparency log: signed checkpoints, inclusion proofs and consistency proofs",
            examples: [
                Example(command: "shikaku log checkpoint", explanation: "the latest signed checkpoint"),
                Example(command: "shikaku log prove physician:0000001 --out proof.tlog", explanation: "an inclusion proof for offline checks"),
            ]),
        CommandGroup(
            name: "keys", abstract: "The authorities' signing keys: list them with their windows, or rotate one",
            examples: [Example(command: "shikaku keys list", explanation: "every authority's keys and when each was valid")]),
        CommandGroup(
            name: "index", abstract: "The registry's derived indexes and hashes",
            examples: [Example(command: "shikaku index rebuild", explanation: "remake them from the journal")]),
    ]

    /// The family named `word`, if any.
    static func group(named word: String) -> CommandGroup? { groups.first { $0.name == word } }

    /// Runs the command line `arguments` (without the program name), once, as the whole of a process: a
    /// command that opens no key (`verify`) starts OpenSSL without what key files need, for the rest of it.
    /// - Returns: The process's exit code.
    public static func run(_ arguments: [String], environment: [String: String]) -> Int32 {
        let console = Console()
        let wantsJSON = arguments.contains("--json")
        do {
            let code = try dispatch(arguments, console: console, environment: environment)
            console.flush()
            return code.rawValue
        } catch {
            report(error, console: console, json: wantsJSON)
            return ExitCode.for(error).rawValue
        }
    }

    private static func dispatch(_ arguments: [String], console: Console, environment: [String: String]) throws
        -> ExitCode
    {
        guard let first = arguments.first, first != "--help", first != "-h" else {
            console.write(Help.overview(commands: commands))
            return .success
        }
        if first == "--version" {
            console.write("shikaku \(version)\n")
            return .success
        }
        guard let command = find(arguments) else {
            if let group = group(named: first) {
                let rest = arguments.dropFirst()
                if rest.contains("--help") || rest.contains("-h") {
                    console.write(Help.group(group))
                    return .success
                }
                throw group.unknownSubcommand(rest.first)
            }
            throw CLIError(
                .unknownCommand,
                "'\(first)' is not a shikaku command. `shikaku --help` lists the commands.")
        }
        let invocation = try Invocation(
            command: command, arguments: Array(arguments.dropFirst(command.path.count)), console: console,
            environment: environment)
        if invocation.wantsHelp {
            console.write(try command.help(arguments: invocation.positionals))
            return .success
        }
        try invocation.checkPositionals()
        if !command.opensKeys { CryptoLibrary.startWithoutKeyFiles() }
        return try command.run(invocation)
    }

    /// The command whose path is the longest prefix of `arguments`.
    static func find(_ arguments: [String]) -> (any Command.Type)? {
        commands.filter { arguments.starts(with: $0.path) }.max { $0.path.count < $1.path.count }
    }

    /// The command named by `words` exactly.
    static func command(named words: [String]) -> (any Command.Type)? {
        commands.first { $0.path == words }
    }

    private static func report(_ error: any Error, console: Console, json: Bool) {
        let exit = ExitCode.for(error)
        let (code, message, usageOf) = describe(error)
        if json {
            let value: JSONValue = [
                "error": ["code": .string(code), "message": .string(message), "exitCode": .number(JSONNumber(Int(exit.rawValue)))]
            ]
            console.writeError(value.compact + "\n")
            return
        }
        var text = "Error: \(message)\n"
        if let usageOf, let command = command(named: usageOf) {
            text += Help.usage(command) + "See 'shikaku help \(command.name)'.\n"
        }
        console.writeError(text)
    }

    /// Advice for the storage failures an operator can fix that the store's own message does not explain.
    /// (ENOSPC, EROFS and EACCES carry theirs already.)
    static func storageAdvice(_ error: StoreError) -> String {
        switch error.errno {
        case EFBIG?: " — the disk is full or the file size limit (ulimit -f) was reached: free some space and try again"
        case EDQUOT?: " — the disk quota is used up: free some space and try again"
        default: ""
        }
    }

    /// The stable code, the message and, for usage errors, the command whose usage to show.
    static func describe(_ error: any Error) -> (code: String, message: String, usageOf: [String]?) {
        switch error {
        case let error as CLIError: (error.code.rawValue, error.message, error.isUsage ? error.command : nil)
        case let error as ModelError: (error.code.rawValue, error.description, nil)
        case let error as OfficeError: (error.code.rawValue, error.message, nil)
        case let error as StoreError:
            // The advice goes after the message, before the file's name that closes the description.
            (error.code.rawValue, error.message + storageAdvice(error) + error.description.dropFirst(error.message.count), nil)
        case let error as CryptoError: (error.code.rawValue, error.description, nil)
        case let error as CredentialError: (error.code.rawValue, error.message, nil)
        case let error as JSONError: (error.code.rawValue, error.description, nil)
        default: ("internal", "\(error)", nil)
        }
    }
}
