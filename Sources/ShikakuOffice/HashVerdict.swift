import ShikakuCredentials
import ShikakuCrypto
import ShikakuJSON
import ShikakuModel
import ShikakuStore

/// What the registry says about a credential hash, for an employer who holds only the hash.
public struct HashVerdict: Sendable {
    /// The answer.
    public enum Status: String, Sendable {
        case active, suspended, revoked, expired, superseded, erased, lapsed, unknown
        /// Asked about a day before the credential took effect (before the registration, or the event it
        /// was issued for).
        case notYetValid = "not-yet-valid"
    }

    /// The answer.
    public let status: Status
    /// Until when a suspension runs, or when the card expired.
    public let until: CalendarDate?
    /// From when a credential not yet valid on the day asked about is.
    public let from: CalendarDate?
    /// The registration, when the hash is known.
    public let registration: RegistrationID?
    /// The qualification's name.
    public let qualificationName: String?
    /// The register's name.
    public let register: String?
    /// The holder's name (never a My Number).
    public let holderName: String?

    /// Whether an employer may rely on it today.
    public var isValid: Bool { status == .active }

    /// Looks `hash` up in `registry` as of `date`: as the credential stood that day (not yet in effect, current,
    /// or superseded by then), with the holder's name it carries.
    public static func lookUp(_ hash: SHA256.Digest, in registry: Registry, on date: CalendarDate) throws -> HashVerdict {
        let history = try registry.credential(hash).map { try registry.history(of: $0.id) } ?? []
        guard let issued = history.firstIndex(where: { $0.entry.change?.credential?.hash == hash }),
            let credential = history[issued].entry.change?.credential, let record = try registry.fold(history),
            let then = try registry.fold(Array(history[...issued]))
        else {
            return HashVerdict(status: .unknown, until: nil, from: nil, registration: nil, qualificationName: nil, register: nil, holderName: nil)
        }
        let id = record.registration.id
        let qualification = try Catalog.qualification(id.qualification)
        // The event that replaced it with a new credential, if one did (an ending one leaves the standing to say).
        let replaced = history[(issued + 1)...].first { item in
            item.entry.change?.supersedes?.hash == hash && item.entry.change?.credential != nil
        }
        var status: Status
        var until: CalendarDate?
        var from: CalendarDate?
        if let effective = credential.effective, date < effective {
            status = .notYetValid
            from = effective
        } else if let replaced, let event = replaced.entry.change?.event, event.date <= date {
            status = .superseded
        } else {
            switch record.registration.standing(on: date) {
            case .active: status = .active
            case .suspended(let disposition):
                status = .suspended
                until = disposition.effectivePeriod?.upperBound
            case .lapsed(let since):
                status = .expired
                until = since.adding(days: -1)
            case .revoked: status = .revoked
            case .erased: status = .erased
            }
        }
        return HashVerdict(
            status: status, until: until, from: from, registration: id, qualificationName: qualification.name,
            register: qualification.register, holderName: then.registration.holder.displayName)
    }

    /// The verdict for scripts.
    public var json: JSONValue {
        var object: JSONObject = ["valid": .bool(isValid), "status": .string(status.rawValue)]
        if let until { object["until"] = .string(until.iso) }
        if let from { object["from"] = .string(from.iso) }
        if let registration {
            object["registration"] = .string(registration.description)
            object["registrationNumber"] = .string(registration.number)
        }
        // Named as a file's verdict names them: the code, and the Japanese name beside it.
        if let registration { object["qualification"] = .string(registration.qualification.rawValue) }
        if let qualificationName { object["qualificationName"] = .string(qualificationName) }
        if let register { object["register"] = .string(register) }
        if let holderName { object["holder"] = .string(holderName) }
        return .object(object)
    }
}
