/// Renders help text for the whole tool and for each command, argument-parser style.
enum Help {
    /// `shikaku --help`: what it is, the commands by kind of user, the exit codes.
    static func overview(commands: [any Command.Type]) -> String {
        var text = """
            shikaku — registers of Japan's 32 national social-security qualifications, with signed credentials
            anyone can verify offline.

            Usage: shikaku COMMAND [ARGUMENTS] [OPTIONS]
                   shikaku help COMMAND        show a command's usage and examples
                   shikaku --version

            Commands:

            """
        let width = commands.map { DisplayWidth.of($0.name) }.max() ?? 0
        for command in commands {
            text += "  " + DisplayWidth.pad(command.name, to: width) + "  " + command.abstract + "\n"
        }
        text += "\nCommon options:\n"
        text += "  --json       print JSON for scripts instead of text for people\n"
        text += "  --help, -h   show help\n"
        text += "\nExit codes:\n"
        for code in ExitCode.allCases { text += "  \(code.rawValue)  \(code.summary)\n" }
        return text
    }

    /// `shikaku help COMMAND`: usage, discussion, options, examples.
    static func command(_ command: any Command.Type) -> String {
        var text = "\(command.abstract)\n\nUsage:\n"
        for line in command.usage { text += "  shikaku \(line)\n" }
        if !command.discussion.isEmpty { text += "\n\(command.discussion)\n" }
        let options = command.options + [.json, .help]
        let labels = options.map { option in
            "--\(option.name)" + (option.value.map { " \($0)" } ?? "")
        }
        let width = labels.map { DisplayWidth.of($0) }.max() ?? 0
        text += "\nOptions:\n"
        for (label, option) in zip(labels, options) {
            text += "  " + DisplayWidth.pad(label, to: width) + "  " + option.help + "\n"
        }
        if !command.examples.isEmpty {
            text += "\nExamples:\n"
            for example in command.examples { text += "  \(example.command)\n      \(example.explanation)\n" }
        }
        return text
    }

    /// The short usage shown after a usage error.
    static func usage(_ command: any Command.Type) -> String {
        command.usage.map { "Usage: shikaku \($0)" }.joined(separator: "\n") + "\n"
    }
}
