import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// The exit codes `shikaku` documents (in `shikaku help` and the README). Scripts rely on them.
public enum ExitCode: Int32, CaseIterable, Sendable {
    /// Done.
    case success = 0
    /// A verification ran and the credential is not valid.
    case notValid = 1
    /// The command line was wrong: unknown command or option, missing argument.
    case usage = 2
    /// Input data was bad: malformed file, impossible date, invalid My Number, wrong passphrase.
    case badInput = 3
    /// A rule or the registration's state refused: illegal transition, unmet prerequisite, authority not entitled.
    case refused = 4
    /// Storage failed: the registry is locked, damaged, unreadable or the disk is full or read-only.
    case storage = 5

    /// One line for the help text and the README.
    public var summary: String {
        switch self {
        case .success: "done"
        case .notValid: "verification ran and the credential or hash is not valid"
        case .usage: "usage error: unknown command or option, missing or extra argument"
        case .badInput: "bad input data: malformed file or field, impossible date, invalid My Number, wrong passphrase"
        case .refused: "refused by a rule or a state: illegal transition, unmet prerequisite, authority not entitled"
        case .storage: "storage or lock failure: registry locked, damaged or unreadable, disk full or read-only"
        }
    }

    /// The exit code for an error that stopped a command.
    public static func `for`(_ error: any Error) -> ExitCode {
        switch error {
        case let error as CLIError: error.isUsage ? .usage : .badInput
        case let error as ModelError: error.code.isRuleRefusal ? .refused : .badInput
        case let error as OfficeError: error.code.isStorageFailure ? .storage : error.code.isRuleRefusal ? .refused : .badInput
        case is JSONError, is CredentialError: .badInput
        case let error as CryptoError: error.code == .openssl || error.code == .randomFailed ? .storage : .badInput
        case let error as StoreError: error.code == .notARegistry || error.code == .alreadyExists ? .badInput : .storage
        default: .storage
        }
    }
}
