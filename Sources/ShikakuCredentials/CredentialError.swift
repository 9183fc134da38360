/// An error from the credentials layer: a credential could not be made, or verification could not run.
///
/// A credential that does not verify is not an error: verification returns a
/// ``VerificationReport`` saying which check failed and why. This type is for what stops
/// the work itself (input that is not JSON at all, a key that cannot sign).
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure, such as `credential.malformed`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A document that is not a credential of the expected shape.
        public static let malformed = Code(rawValue: "credential.malformed")
        /// Signing failed.
        public static let signing = Code(rawValue: "credential.signing")
        /// A status list that cannot hold more entries, or an index outside it.
        public static let statusList = Code(rawValue: "credential.status-list")
        /// A trust list that is malformed or not signed by its key.
        public static let trustList = Code(rawValue: "credential.trust-list")
    }

    /// What kind of failure this is.
    public let code: Code
    /// What was wrong and how to fix it.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension CredentialError: Equatable {
    /// Errors compare by code only.
    public static func == (lhs: CredentialError, rhs: CredentialError) -> Bool { lhs.code == rhs.code }
}
