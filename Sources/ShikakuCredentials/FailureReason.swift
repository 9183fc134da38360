/// Why a credential does not verify: a stable code and a sentence.
///
/// The codes follow the problem types the W3C specifications name, refined so that a
/// script can tell a tampered document from an unknown key or a revoked status.
public struct FailureReason: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable reason code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Not JSON, duplicate keys, invalid UTF-8 (VC PARSING_ERROR).
        public static let parsing = Code(rawValue: "PARSING_ERROR")
        /// Valid JSON, but not a credential of the expected shape (MALFORMED_VALUE_ERROR).
        public static let malformed = Code(rawValue: "MALFORMED_VALUE_ERROR")
        /// No proof.
        public static let proofMissing = Code(rawValue: "PROOF_MISSING")
        /// A proof without its required options, or with the wrong purpose (PROOF_VERIFICATION_ERROR).
        public static let proofMalformed = Code(rawValue: "PROOF_VERIFICATION_ERROR")
        /// A cryptosuite other than eddsa-jcs-2022.
        public static let unknownCryptosuite = Code(rawValue: "UNKNOWN_CRYPTOSUITE")
        /// The proof's @context is not the start of the document's.
        public static let contextMismatch = Code(rawValue: "CONTEXT_MISMATCH")
        /// The signature does not match the document (CRYPTOGRAPHIC_SECURITY_ERROR).
        public static let badSignature = Code(rawValue: "CRYPTOGRAPHIC_SECURITY_ERROR")
        /// The signing key is not in the trust list.
        public static let unknownKey = Code(rawValue: "UNKNOWN_KEY")
        /// The key was not valid when the proof was made.
        public static let keyOutsideWindow = Code(rawValue: "KEY_OUTSIDE_VALIDITY")
        /// The key's authority is not entitled to the qualification.
        public static let authorityNotEntitled = Code(rawValue: "AUTHORITY_NOT_ENTITLED")
        /// The issuer named in the credential is not the key's authority.
        public static let issuerMismatch = Code(rawValue: "ISSUER_MISMATCH")
        /// Before `validFrom`.
        public static let notYetValid = Code(rawValue: "NOT_YET_VALID")
        /// After `validUntil`.
        public static let expired = Code(rawValue: "EXPIRED")
        /// The revocation bit is set.
        public static let revoked = Code(rawValue: "REVOKED")
        /// The suspension bit is set.
        public static let suspended = Code(rawValue: "SUSPENDED")
        /// A newer certificate replaced this one (reissue, amendment, renewal).
        public static let superseded = Code(rawValue: "SUPERSEDED")
        /// A status list could not be found (STATUS_RETRIEVAL_ERROR).
        public static let statusRetrieval = Code(rawValue: "STATUS_RETRIEVAL_ERROR")
        /// A status list does not verify or does not match (STATUS_VERIFICATION_ERROR).
        public static let statusVerification = Code(rawValue: "STATUS_VERIFICATION_ERROR")
        /// A status list shorter than 131,072 entries, or one that inflates past the cap (STATUS_LIST_LENGTH_ERROR).
        public static let statusListLength = Code(rawValue: "STATUS_LIST_LENGTH_ERROR")
        /// A status index outside its list (RANGE_ERROR).
        public static let range = Code(rawValue: "RANGE_ERROR")
        /// The log does not include the credential's event, or its checkpoint does not verify.
        public static let logInclusion = Code(rawValue: "LOG_INCLUSION_ERROR")
        /// The credential hash is not known to the registry.
        public static let unknownCredential = Code(rawValue: "UNKNOWN_CREDENTIAL")
    }

    /// The code.
    public let code: Code
    /// What was found, for people.
    public let message: String

    /// Creates a reason.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
