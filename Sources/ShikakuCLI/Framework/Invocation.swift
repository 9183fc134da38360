/// What a command was given: positional arguments and options, checked against its spec.
struct Invocation {
    /// The command being run.
    let command: any Command.Type
    /// Positional arguments, in order.
    let positionals: [String]
    /// Option values by name (flags map to an empty list of values).
    private let values: [String: [String]]
    /// Where output goes.
    let console: Console
    /// The process environment.
    let environment: [String: String]

    /// Parses `arguments` (the words after the command's path) for `command`.
    /// - Throws: ``CLIError`` with a usage code naming the offending word.
    init(command: any Command.Type, arguments: [String], console: Console, environment: [String: String]) throws(CLIError) {
        self.command = command
        self.console = console
        self.environment = environment
        let specs = command.options + command.commonOptions
        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard !optionsEnded, word.hasPrefix("-"), word != "-" else {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            if word == "-h" {
                values["help", default: []].append("")
                continue
            }
            let body = word.hasPrefix("--") ? word.dropFirst(2) : word.dropFirst()
            let (name, inline) = body.firstIndex(of: "=").map { (String(body[..<$0]), String(body[body.index(after: $0)...])) }
                ?? (String(body), nil)
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw CLIError(.unknownOption, "'\(command.name)' has no option '--\(name)'", command: command.path)
            }
            if let valueName = spec.value {
                let value: String
                if let inline {
                    value = inline
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw CLIError(.missingArgument, "--\(name) needs a value (\(valueName))", command: command.path)
                }
                guard spec.repeatable || values[name] == nil else {
                    throw CLIError(.invalidValue, "--\(name) may be given only once", command: command.path)
                }
                values[name, default: []].append(value)
            } else {
                guard inline == nil else {
                    throw CLIError(.invalidValue, "--\(name) takes no value", command: command.path)
                }
                values[name, default: []].append("")
            }
        }
        self.positionals = positionals
        self.values = values
    }

    /// Whether `--help` or `-h` was given.
    var wantsHelp: Bool { values["help"] != nil }

    /// Whether `--json` was given.
    var json: Bool { flag("json") }

    /// Whether the flag `--name` was given.
    func flag(_ name: String) -> Bool { values[name] != nil }

    /// The value of `--name`, if given.
    func option(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable `--name`.
    func options(_ name: String) -> [String] { values[name] ?? [] }

    /// Refuses more than one of `names` (each a flag or an option, without `--`): `why` says what to do instead.
    func atMostOne(of names: [String], _ why: String) throws(CLIError) {
        let given = names.filter { values[$0] != nil }
        guard given.count > 1 else { return }
        throw CLIError(
            .conflictingOptions, given.map { "--\($0)" }.joined(separator: " and ") + " cannot be given together: \(why)", command: command.path)
    }

    /// Refuses `name` when `needed` is not given too: `why` says what it is for.
    func requires(_ name: String, _ needed: String, _ why: String) throws(CLIError) {
        guard values[name] != nil, values[needed] == nil else { return }
        throw CLIError(.conflictingOptions, "--\(name) needs --\(needed): \(why)", command: command.path)
    }

    /// The value of `--name`, which must be given.
    func required(_ name: String) throws(CLIError) -> String {
        guard let value = option(name) else {
            let valueName = command.options.first { $0.name == name }?.value ?? "VALUE"
            throw CLIError(.missingArgument, "\(command.name) needs --\(name) \(valueName)", command: command.path)
        }
        return value
    }

    /// Checks the number of positional arguments against the command's spec.
    func checkPositionals() throws(CLIError) {
        let range = command.positionals
        if positionals.count < range.lowerBound {
            throw CLIError(.missingArgument, "\(command.name) needs more arguments", command: command.path)
        }
        if positionals.count > range.upperBound {
            let extra = positionals[range.upperBound]
            throw CLIError(.extraArgument, "\(command.name) does not take the argument '\(extra)'", command: command.path)
        }
    }
}
