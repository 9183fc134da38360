/// The first word of commands that come in a family — `log checkpoint`, `log prove` — which alone shows
/// the family's help (`shikaku log --help`, `shikaku help log`).
struct CommandGroup {
    /// The word: `log`.
    let name: String
    /// One line: what the family is for.
    let abstract: String
    /// Worked examples.
    let examples: [Example]

    /// The commands of the family, in the order `shikaku --help` lists them.
    var commands: [any Command.Type] { CLI.commands.filter { $0.path.count > 1 && $0.path[0] == name } }

    /// The error for `shikaku GROUP` alone or with a word that is none of its subcommands.
    func unknownSubcommand(_ word: String?) -> CLIError {
        let names = commands.map { $0.path.dropFirst().joined(separator: " ") }
        let list = names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
        let start = word.map { "'\(name) \($0)' is not a shikaku command; '\(name)' takes" } ?? "'shikaku \(name)' needs a subcommand:"
        return CLIError(word == nil ? .missingArgument : .unknownCommand, "\(start) \(list). See 'shikaku help \(name)'.")
    }
}
