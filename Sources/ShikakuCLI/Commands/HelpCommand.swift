/// `shikaku help [COMMAND]`: the same text as `COMMAND --help`.
enum HelpCommand: Command {
    static let path = ["help"]
    static let abstract = "Show the usage and examples of a command"
    static let usage = ["help [COMMAND ...]"]
    static let positionals = 0...3
    static let examples = [
        Example(command: "shikaku help catalog", explanation: "how to list the qualifications and show one")
    ]

    static func run(_ invocation: Invocation) throws -> ExitCode {
        guard !invocation.positionals.isEmpty else {
            invocation.console.write(Help.overview(commands: CLI.commands))
            return .success
        }
        guard let command = CLI.command(named: invocation.positionals) else {
            throw CLIError(
                .unknownCommand,
                "'\(invocation.positionals.joined(separator: " "))' is not a shikaku command. `shikaku --help` lists the commands.")
        }
        invocation.console.write(Help.command(command))
        return .success
    }
}
