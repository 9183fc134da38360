/// `shikaku help [COMMAND]`: the same text as `COMMAND --help`.
enum HelpCommand: Command {
    static let path = ["help"]
    static let abstract = "Show the usage and examples of a command"
    static let usage = ["help [COMMAND ...]"]
    static let positionals = 0...3
    static let examples = [
        Example(command: "shikaku help catalog", explanation: "how to list the qualifications and show one"),
        Example(command: "shikaku help batch renew", explanation: "the columns a renewal batch reads"),
        Example(command: "shikaku help log", explanation: "the log's subcommands"),
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        let words = invocation.positionals
        guard let first = words.first else {
            invocation.console.write(Help.overview(commands: CLI.commands))
            return .success
        }
        if let command = CLI.find(words) {
            invocation.console.write(try command.help(arguments: Array(words.dropFirst(command.path.count))))
            return .success
        }
        if let group = CLI.group(named: first) {
            guard words.count == 1 else { throw group.unknownSubcommand(words[1]) }
            invocation.console.write(Help.group(group))
            return .success
        }
        throw CLIError(.unknownCommand, "'\(words.joined(separator: " "))' is not a shikaku command. `shikaku --help` lists the commands.")
    }
}
