/// Renders help text for the whole tool and for each command, argument-parser style.
enum Help {
    /// `shikaku --help`: what it is, the commands by kind of user, the exit codes.
    static func overview(commands: [any Command.Type]) -> String {
        var text = """
            shikaku — registers of Japan's 32 national social-security qualifications, with signed credentials
            anyone can verify offline.

            Usage: shikaku COMMAND [ARGUMENTS] [OPTIONS]
                   shikaku help COMMAND        show a command's usage and examples (or COMMAND --help)
                   shikaku --version

            Commands:

            """
        let width = commands.map { DisplayWidth.of($0.name) }.max() ?? 0
        for command in commands {
            text += "  " + DisplayWidth.pad(command.name, to: width) + "  " + command.abstract + "\n"
        }
        text += "\nCommon options:\n"
        text += "  --json       print JSON for scripts instead of text for people (every command but help)\n"
        text += "  --help, -h   show help\n"
        text += "\nExit codes:\n"
        for code in ExitCode.allCases { text += "  \(code.rawValue)  \(code.summary)\n" }
        return text
    }

    /// `shikaku help COMMAND`: usage, discussion, options, examples.
    /// - Parameters:
    ///   - abstract, usage, discussion, examples: In place of the command's own (a batch action's help).
    ///   - sections: Titled blocks printed after the usage, before the discussion.
    static func command(
        _ command: any Command.Type, abstract: String? = nil, usage: [String]? = nil, sections: [(title: String, body: String)] = [],
        discussion: String? = nil, examples: [Example]? = nil
    ) -> String {
        var text = "\(abstract ?? command.abstract)\n\nUsage:\n"
        for line in usage ?? command.usage { text += "  shikaku \(line)\n" }
        for section in sections { text += "\n\(section.title):\n\(section.body)" }
        let discussion = discussion ?? command.discussion
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        let options = command.options + command.commonOptions
        let labels = options.map { option in
            "--\(option.name)" + (option.value.map { " \($0)" } ?? "")
        }
        text += "\nOptions:\n" + columns(zip(labels, options.map(\.help)).map { ($0, $1) })
        let examples = examples ?? command.examples
        if !examples.isEmpty {
            text += "\nExamples:\n"
            for example in examples { text += "  \(example.command)\n      \(example.explanation)\n" }
        }
        return text
    }

    /// `shikaku help GROUP`, `shikaku GROUP --help`: what the group is for and its subcommands.
    static func group(_ group: CommandGroup) -> String {
        var text = "\(group.abstract)\n\nUsage:\n  shikaku \(group.name) SUBCOMMAND [ARGUMENTS] [OPTIONS]\n\nSubcommands:\n"
        text += columns(group.commands.map { ($0.path.dropFirst().joined(separator: " "), $0.abstract) })
        if !group.examples.isEmpty {
            text += "\nExamples:\n"
            for example in group.examples { text += "  \(example.command)\n      \(example.explanation)\n" }
        }
        return text + "\nSee 'shikaku help \(group.name) SUBCOMMAND' for a subcommand's usage, options and examples.\n"
    }

    /// Two columns, the first padded to one display width, indented by two spaces.
    static func columns(_ rows: [(String, String)]) -> String {
        let width = rows.map { DisplayWidth.of($0.0) }.max() ?? 0
        return rows.map { "  " + DisplayWidth.pad($0.0, to: width) + "  " + $0.1 + "\n" }.joined()
    }

    /// The short usage shown after a usage error.
    static func usage(_ command: any Command.Type) -> String {
        command.usage.map { "Usage: shikaku \($0)" }.joined(separator: "\n") + "\n"
    }
}
