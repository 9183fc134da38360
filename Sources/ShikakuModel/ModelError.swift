/// An error from the catalog and rules layer.
///
/// Codes come in two families that callers tell apart: `input.*` means the data
/// given was malformed (a date that does not exist, a My Number with a wrong
/// check digit, an unknown qualification code), and `rule.*` means the data was
/// well formed but the law or the registration's state refuses the event (a
/// suspension longer than the law allows, renewing after expiry). A refusal
/// names the rule and, where the law's article is known, the ``article``.
public struct ModelError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure, such as `rule.suspension-too-long`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Whether the law or the registration's state refused the event (as opposed to malformed input).
        public var isRuleRefusal: Bool { rawValue.hasPrefix("rule.") }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence for people: what was wrong, where, and how to fix it.
    public let message: String
    /// The article of the governing law behind a rule, such as `医師法7条`, when the catalog knows it.
    public let article: String?
    /// Where in Shikaku the error was raised.
    public let file: String
    /// The line of ``file`` where the error was raised.
    public let line: UInt

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: What was wrong and how to fix it.
    ///   - article: The law's article behind the rule, if known.
    public init(_ code: Code, _ message: String, article: String? = nil, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.article = article
        self.file = file
        self.line = line
    }

    public var description: String {
        guard let article else { return message }
        return "\(message) (\(article))"
    }
}

extension ModelError: Equatable {
    /// Errors compare by code only: the message and location are for people.
    public static func == (lhs: ModelError, rhs: ModelError) -> Bool { lhs.code == rhs.code }
}
