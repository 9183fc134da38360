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

extension CryptoError.Code {
    /// The passphrase does not open the encrypted private key.
    public static let wrongPassphrase = Self(rawValue: "crypto.wrong-passphrase")
    /// Not a PEM document, or a truncated or damaged one.
    public static let malformedPEM = Self(rawValue: "crypto.malformed-pem")
    /// A well-formed key of another type than Ed25519.
    public static let notEd25519 = Self(rawValue: "crypto.not-ed25519")
    /// A private key stored without encryption, which Shikaku refuses.
    public static let unencryptedPrivateKey = Self(rawValue: "crypto.unencrypted-private-key")
    /// Key or nonce bytes of the wrong length.
    public static let invalidKeyLength = Self(rawValue: "crypto.invalid-key-length")
    /// A Multikey or did:key that is not an Ed25519 public key in base58btc.
    public static let invalidMultikey = Self(rawValue: "crypto.invalid-multikey")
    /// Text that is not valid base58btc, base64 or base64url.
    public static let invalidEncoding = Self(rawValue: "crypto.invalid-encoding")
    /// AES-GCM could not authenticate the ciphertext: wrong key, or tampered data.
    public static let authenticationFailed = Self(rawValue: "crypto.authentication-failed")
    /// Decompressed data would exceed the allowed size.
    public static let decompressionLimit = Self(rawValue: "crypto.decompression-limit")
    /// Data that is not a complete GZIP stream.
    public static let malformedGzip = Self(rawValue: "crypto.malformed-gzip")
    /// The system's random number generator failed.
    public static let randomFailed = Self(rawValue: "crypto.random-failed")
    /// OpenSSL refused for another reason; ``CryptoError/reasons`` says why.
    public static let openssl = Self(rawValue: "crypto.openssl")
}
