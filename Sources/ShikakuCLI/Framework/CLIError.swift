/// An error of the command line itself: a usage mistake, or input the command could not read.
public struct CLIError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure, such as `usage.unknown-option`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A command that does not exist.
        public static let unknownCommand = Code(rawValue: "usage.unknown-command")
        /// An option the command does not take.
        public static let unknownOption = Code(rawValue: "usage.unknown-option")
        /// A required argument or option is missing.
        public static let missingArgument = Code(rawValue: "usage.missing-argument")
        /// More arguments than the command takes.
        public static let extraArgument = Code(rawValue: "usage.extra-argument")
        /// Options given together that exclude each other, or one given without the one it needs.
        public static let conflictingOptions = Code(rawValue: "usage.conflicting-options")
        /// An option's value is not of the accepted form.
        public static let invalidValue = Code(rawValue: "usage.invalid-value")
        /// A value of the record (an exam, a year, a prefecture, a kind or a reason) that is not of the accepted
        /// form: bad input data, like an impossible date, rather than a misused command.
        public static let invalidField = Code(rawValue: "input.invalid-field")
        /// Input (a file, standard input) could not be read.
        public static let unreadableInput = Code(rawValue: "input.unreadable")
        /// A batch file could not be read past a line (a quoted field never closed).
        public static let malformedFile = Code(rawValue: "input.malformed-file")
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and how to fix it.
    public let message: String
    /// The command whose usage to show after a usage error, as words after `shikaku`.
    public let command: [String]?

    /// Creates an error.
    public init(_ code: Code, _ message: String, command: [String]? = nil) {
        self.code = code
        self.message = message
        self.command = command
    }

    public var description: String { message }

    /// Whether this is a usage mistake (exit code 2) rather than unreadable input (3).
    public var isUsage: Bool { code.rawValue.hasPrefix("usage.") }
}
