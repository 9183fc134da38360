/// An error from the office layer: who may do what, and registrations that are not there.
///
/// Like ``ShikakuModel/ModelError``, codes are `input.*` for data that names nothing real and `rule.*`
/// for what the office's rules refuse.
public struct OfficeError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Whether the office's rules refused (as opposed to input naming nothing real).
        public var isRuleRefusal: Bool { rawValue.hasPrefix("rule.") }

        /// A registration the registry does not have.
        public static let unknownRegistration = Code(rawValue: "input.unknown-registration")
        /// An event dated after today (in Japan).
        public static let futureDate = Code(rawValue: "input.future-date")
        /// An authority the registry does not have.
        public static let unknownAuthority = Code(rawValue: "input.unknown-authority")
        /// A credential hash the registry did not issue.
        public static let unknownCredential = Code(rawValue: "input.unknown-credential")
        /// Something in the export folder is in the way: a file where the export needs a folder, or the reverse.
        public static let exportFolder = Code(rawValue: "input.export-folder")
        /// The acting authority does not register that qualification, or not that prefecture's register.
        public static let authorityNotEntitled = Code(rawValue: "rule.authority-not-entitled")
        /// A register has used up its numbers.
        public static let registerFull = Code(rawValue: "rule.register-full")
        /// The batch was written and synced, but no checkpoint could be signed over it.
        public static let checkpointNotSigned = Code(rawValue: "store.checkpoint-not-signed")

        /// Whether storage failed (as opposed to input or rules).
        public var isStorageFailure: Bool { rawValue.hasPrefix("store.") }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and how to fix it.
    public let message: String
    /// What the batch did, when it was committed before the failure: it counts.
    public let committed: [Office.Outcome]

    /// Creates an error.
    public init(_ code: Code, _ message: String, committed: [Office.Outcome] = []) {
        self.code = code
        self.message = message
        self.committed = committed
    }

    public var description: String { message }
}

extension OfficeError: Equatable {
    /// Errors compare by code only.
    public static func == (lhs: OfficeError, rhs: OfficeError) -> Bool { lhs.code == rhs.code }
}
