import ShikakuModel
import ShikakuOffice
import ShikakuStore

/// Finding and opening the registry a command works on.
enum RegistryAccess {
    /// The folder used when neither `--registry` nor `SHIKAKU_REGISTRY` names one.
    static let defaultPath = "shikaku-registry"

    static let option = OptionSpec(
        "registry", value: "DIR", help: "the registry folder (default: $SHIKAKU_REGISTRY, else ./\(defaultPath))")
    static let asOption = OptionSpec("as", value: "AUTHORITY", help: "act as this authority (default: the registry's default)")

    /// The registry folder.
    static func path(_ invocation: Invocation) -> String {
        invocation.option("registry") ?? invocation.environment["SHIKAKU_REGISTRY"] ?? defaultPath
    }

    /// Opens the registry without the lock: any number of readers may.
    static func reader(_ invocation: Invocation) throws -> Registry {
        try Registry(opening: path(invocation), writable: false)
    }

    /// How long a command waits for a lock another process holds: `SHIKAKU_LOCK_TIMEOUT` seconds (default 10).
    static func lockTimeout(_ invocation: Invocation) throws -> Double {
        let text = invocation.environment["SHIKAKU_LOCK_TIMEOUT"] ?? "10"
        guard let timeout = Double(text), timeout >= 0 else {
            throw CLIError(.invalidValue, "SHIKAKU_LOCK_TIMEOUT must be a number of seconds, not \"\(text)\"")
        }
        return timeout
    }

    /// Opens the registry under the writers' lock, waiting ``lockTimeout(_:)`` seconds.
    static func writer(_ invocation: Invocation) throws -> Registry {
        let registry = try Registry(opening: path(invocation), writable: true, lockTimeout: try lockTimeout(invocation))
        for repair in registry.repairs { invocation.console.writeError("Note: \(repair)\n") }
        return registry
    }

    /// An office acting as `--as` (or the default authority), with the passphrase read as the user chose.
    static func office(_ invocation: Invocation) throws -> Office {
        let registry = try writer(invocation)
        return try Office(registry: registry, authority: invocation.option("as"), passphrase: try Secrets.passphrase(invocation))
    }

    /// The registration named by the command's first argument.
    static func registrationID(_ invocation: Invocation, at position: Int = 0) throws -> RegistrationID {
        try RegistrationID(parsing: invocation.positionals[position])
    }

    /// A date option, or today's date in Japan when it is absent and `defaultToday` is set.
    static func date(_ invocation: Invocation, _ name: String, defaultToday: Bool = true) throws -> CalendarDate {
        guard let text = invocation.option(name) else {
            guard defaultToday else { throw CLIError(.missingArgument, "--\(name) YYYY-MM-DD is required", command: invocation.command.path) }
            return Timestamp.now().dateInJapan
        }
        return try CalendarDate(iso: text, field: "--\(name)")
    }
}
