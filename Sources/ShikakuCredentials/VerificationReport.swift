import ShikakuJSON

/// The result of verifying a credential: every named check passed, failed or skipped, with a reason.
///
/// An invalid credential is a report, not an error: `isValid` is false and ``failure`` says why,
/// with a stable code.
public struct VerificationReport: Sendable {
    /// How a check ended.
    public enum Outcome: String, Sendable {
        case passed, failed, skipped
    }

    /// One named check.
    public struct Check: Sendable {
        /// `syntax`, `proof`, `issuerKey`, `validity`, `status.revocation`, `status.suspension`, `registry`, `log`.
        public let name: String
        /// How it ended.
        public let outcome: Outcome
        /// Why it failed, for failures.
        public let reason: FailureReason?
        /// What it found or why it was skipped.
        public let detail: String
    }

    /// The checks, in the order they ran.
    public private(set) var checks: [Check] = []
    /// What the credential says, when its syntax was readable.
    public var summary: CredentialSummary?

    /// Whether no check failed.
    public var isValid: Bool { !checks.contains { $0.outcome == .failed } }

    /// The verdict's reason: the first failure, except that the registry's SUPERSEDED comes first, since it
    /// says why the revocation bit of a reissued or changed credential is set.
    public var failure: FailureReason? {
        let failures = checks.filter { $0.outcome == .failed }.compactMap(\.reason)
        return failures.first { $0.code == .superseded } ?? failures.first
    }

    mutating func pass(_ name: String, _ detail: String) {
        checks.append(Check(name: name, outcome: .passed, reason: nil, detail: detail))
    }

    mutating func fail(_ name: String, _ reason: FailureReason) {
        checks.append(Check(name: name, outcome: .failed, reason: reason, detail: reason.message))
    }

    mutating func skip(_ name: String, _ detail: String) {
        checks.append(Check(name: name, outcome: .skipped, reason: nil, detail: detail))
    }

    /// The report for scripts.
    public var json: JSONValue {
        var object: JSONObject = ["valid": .bool(isValid)]
        if let failure { object["reason"] = .string(failure.code.rawValue) }
        if let summary { object["credential"] = summary.json }
        object["checks"] = .array(
            checks.map { check in
                var entry: JSONObject = ["name": .string(check.name), "outcome": .string(check.outcome.rawValue)]
                if let reason = check.reason { entry["reason"] = .string(reason.code.rawValue) }
                entry["detail"] = .string(check.detail)
                return .object(entry)
            })
        return .object(object)
    }
}

/// What a credential says, for the verdict line: whose, which qualification, which register, until when.
public struct CredentialSummary: Sendable, Hashable {
    /// The holder's name.
    public let holderName: String
    /// The qualification's code and name.
    public let qualificationCode: String
    /// The qualification's Japanese name.
    public let qualificationName: String
    /// The register.
    public let register: String
    /// The registration number.
    public let registrationNumber: String
    /// The issuer's name.
    public let issuerName: String
    /// `validFrom`.
    public let validFrom: String
    /// `validUntil`, where the credential expires.
    public let validUntil: String?
    /// The certificate's serial.
    public let certificateSerial: Int?

    var json: JSONValue {
        var object: JSONObject = [
            "holder": .string(holderName), "qualification": .string(qualificationCode),
            "qualificationName": .string(qualificationName), "register": .string(register),
            "registrationNumber": .string(registrationNumber), "issuer": .string(issuerName), "validFrom": .string(validFrom),
            // As a hash verdict names it, for scripts that check both.
            "registration": .string("\(qualificationCode):\(registrationNumber)"),
        ]
        if let validUntil { object["validUntil"] = .string(validUntil) }
        if let certificateSerial { object["certificateSerial"] = .number(JSONNumber(certificateSerial)) }
        return .object(object)
    }
}
