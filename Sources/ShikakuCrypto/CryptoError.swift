/// An error from the crypto layer.
///
/// Every error carries a stable ``Code`` that scripts and tests can match on, a
/// message written for people (what was wrong and how to fix it), and, when
/// OpenSSL refused, the reasons it left in its per-thread error queue. Two
/// errors are equal when their codes are equal, as in swift-asn1's `ASN1Error`.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of failure, such as `crypto.wrong-passphrase`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence for people: what was wrong, where, and how to fix it.
    public let message: String
    /// The messages OpenSSL queued when the failing call returned, oldest first.
    public let reasons: [String]
    /// Where in Shikaku the error was raised.
    public let file: String
    /// The line of ``file`` where the error was raised.
    public let line: UInt

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: What was wrong and how to fix it.
    ///   - reasons: What OpenSSL said, if it was OpenSSL that refused.
    public init(_ code: Code, _ message: String, reasons: [String] = [], file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.reasons = reasons
        self.file = file
        self.line = line
    }

    public var description: String {
        reasons.isEmpty ? message : "\(message) (OpenSSL: \(reasons.joined(separator: "; ")))"
    }
}

extension CryptoError: Equatable {
    /// Errors compare by code only: the message and location are for people.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
}
