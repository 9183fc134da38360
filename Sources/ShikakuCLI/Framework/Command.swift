/// One `shikaku` command, described the way its help is printed and its arguments are parsed.
///
/// Shaped like swift-argument-parser's `ParsableCommand`, written by hand: a
/// command declares its words, abstract, usage lines, options and examples, and
/// runs with an ``Invocation`` holding what was parsed.
protocol Command {
    /// The words after `shikaku` that select it: `["catalog"]`, `["log", "checkpoint"]`.
    static var path: [String] { get }
    /// One line: what it does.
    static var abstract: String { get }
    /// The usage lines, after `shikaku `.
    static var usage: [String] { get }
    /// Longer explanation, printed after the usage. Empty when there is nothing more to say.
    static var discussion: String { get }
    /// Worked examples: the command line and what it does.
    static var examples: [Example] { get }
    /// The options it takes besides the common ones (`--help`, `--json`).
    static var options: [OptionSpec] { get }
    /// How many positional arguments it takes.
    static var positionals: ClosedRange<Int> { get }
    /// Whether it may open a private key: one that never does starts OpenSSL without what key files need
    /// (``CryptoLibrary/startWithoutKeyFiles()``), which is much of a short command's time.
    static var opensKeys: Bool { get }

    /// The help text, for `COMMAND ARGUMENTS --help` and `help COMMAND ARGUMENTS` (a batch action's own help).
    /// - Throws: A usage error when the arguments name nothing the command knows.
    static func help(arguments: [String]) throws -> String

    /// Runs the command.
    /// - Returns: The exit code (``ExitCode/success`` unless a verification failed).
    static func run(_ invocation: Invocation) throws -> ExitCode
}

extension Command {
    /// The options every command takes besides its own: `--json` (not `help`, which is text for people) and `--help`.
    static var commonOptions: [OptionSpec] { path == ["help"] ? [.help] : [.json, .help] }

    static var discussion: String { "" }
    static var examples: [Example] { [] }
    static var options: [OptionSpec] { [] }
    static var positionals: ClosedRange<Int> { 0...0 }
    static var opensKeys: Bool { true }
    static var name: String { path.joined(separator: " ") }
    static func help(arguments: [String]) throws -> String { Help.command(self) }
}

/// A worked example in a command's help.
struct Example {
    /// The command line, starting with `shikaku`.
    let command: String
    /// What it does.
    let explanation: String
}

/// An option a command takes: `--name VALUE` or a `--flag`.
struct OptionSpec: Hashable {
    /// The name without dashes: `json`, `registry`.
    let name: String
    /// The name its value is shown by (`DIR`), or `nil` for a flag.
    let value: String?
    /// What it does.
    let help: String
    /// Whether it may be given more than once.
    let repeatable: Bool

    init(_ name: String, value: String? = nil, help: String, repeatable: Bool = false) {
        self.name = name
        self.value = value
        self.help = help
        self.repeatable = repeatable
    }

    /// `--json`: output for scripts.
    static let json = OptionSpec("json", help: "print JSON for scripts instead of text for people")
    /// `--help`.
    static let help = OptionSpec("help", help: "show this help")
}
