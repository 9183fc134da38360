/// An error from parsing or reading JSON.
///
/// Parse errors carry the byte offset and the 1-based line and column; errors from
/// ``JSONReader`` carry the path of the value at fault (`$.qualifications[3].law`).
/// Two errors are equal when their codes are equal.
public struct JSONError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure, such as `json.duplicate-key`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A byte that the grammar does not allow where it stands.
        public static let syntax = Code(rawValue: "json.syntax")
        /// Bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Code(rawValue: "json.invalid-utf8")
        /// A `\uD800`–`\uDFFF` escape without its pair.
        public static let loneSurrogate = Code(rawValue: "json.lone-surrogate")
        /// The same member name twice in one object (compared as UTF-16 code units).
        public static let duplicateKey = Code(rawValue: "json.duplicate-key")
        /// A number beyond the range of an IEEE 754 double (I-JSON, RFC 7493 §2.2).
        public static let numberOutOfRange = Code(rawValue: "json.number-out-of-range")
        /// Nesting deeper than the limit.
        public static let tooDeep = Code(rawValue: "json.too-deep")
        /// Input or a string longer than the limit.
        public static let tooLarge = Code(rawValue: "json.too-large")
        /// A raw control character (U+0000–U+001F) inside a string.
        public static let controlCharacter = Code(rawValue: "json.control-character")
        /// Something after the one value.
        public static let trailingContent = Code(rawValue: "json.trailing-content")
        /// A member that must be there is not.
        public static let missingMember = Code(rawValue: "json.missing-member")
        /// A value of another type than expected.
        public static let typeMismatch = Code(rawValue: "json.type-mismatch")
        /// A member that a strict schema does not know.
        public static let unknownMember = Code(rawValue: "json.unknown-member")
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and what was expected.
    public let message: String
    /// The byte offset in the input, for parse errors.
    public let offset: Int?
    /// The 1-based line, for parse errors.
    public let line: Int?
    /// The 1-based column (in bytes), for parse errors.
    public let column: Int?
    /// The path of the value at fault, for ``JSONReader`` errors.
    public let path: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: What was wrong and what was expected.
    ///   - offset: The byte offset, line and column for parse errors.
    ///   - path: The value's path for reader errors.
    public init(
        _ code: Code, _ message: String, offset: Int? = nil, line: Int? = nil, column: Int? = nil, path: String? = nil
    ) {
        self.code = code
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
    }

    public var description: String {
        if let line, let column { return "line \(line), column \(column): \(message)" }
        if let path { return "\(path): \(message)" }
        return message
    }
}

extension JSONError: Equatable {
    /// Errors compare by code only: the message and position are for people.
    public static func == (lhs: JSONError, rhs: JSONError) -> Bool { lhs.code == rhs.code }
}

/// Bounds on what the parser accepts, so hostile input cannot exhaust memory or the stack.
public struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects.
    public var maxDepth: Int
    /// The longest input, in bytes.
    public var maxBytes: Int
    /// The longest string, in bytes of UTF-8 after unescaping.
    public var maxStringBytes: Int

    /// Creates limits.
    public init(maxDepth: Int, maxBytes: Int, maxStringBytes: Int) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.maxStringBytes = maxStringBytes
    }

    /// Depth 64, 16 MiB of input, 1 MiB strings.
    public static let `default` = JSONLimits(maxDepth: 64, maxBytes: 16 << 20, maxStringBytes: 1 << 20)
}
