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
    }

    /// The answer.
    public let status: Status
    /// Until when a suspension runs, or when the card expired.
    public let until: CalendarDate?
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

    /// Looks `hash` up in `registry` as of `date`.
    public static func lookUp(_ hash: SHA256.Digest, in registry: Registry, on date: CalendarDate) throws -> HashVerdict {
        guard let (id, _) = try registry.credential(hash), let record = try registry.record(of: id) else {
            return HashVerdict(status: .unknown, until: nil, registration: nil, qualificationName: nil, register: nil, holderName: nil)
        }
        let qualification = try Catalog.qualification(id.qualification)
        let status: Status
        var until: CalendarDate?
        if record.credential?.hash != hash {
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
            status: status, until: until, registration: id, qualificationName: qualification.name, register: qualification.register,
            holderName: record.credentialState?.holder.displayName ?? record.registration.holder.displayName)
    }

    /// The verdict for scripts.
    public var json: JSONValue {
        var object: JSONObject = ["valid": .bool(isValid), "status": .string(status.rawValue)]
        if let until { object["until"] = .string(until.iso) }
        if let registration {
            object["registration"] = .string(registration.description)
            object["registrationNumber"] = .string(registration.number)
        }
        if let qualificationName { object["qualification"] = .string(qualificationName) }
        if let register { object["register"] = .string(register) }
        if let holderName { object["holder"] = .string(holderName) }
        return .object(object)
    }
}
