import ShikakuCrypto
import ShikakuJSON
import ShikakuModel

/// Verifies Shikaku credentials offline: syntax, proof, issuer key, validity dates, status per purpose,
/// and, where a registry or a proof bundle is at hand, whether it is still the current certificate and
/// whether the log includes it.
public struct CredentialVerifier: Sendable {
    /// What the registry says about a credential hash, when one is at hand.
    public enum RegistryAnswer: Sendable, Equatable {
        /// The current certificate of its registration.
        case current
        /// Replaced by certificate `serial` on `date`.
        case superseded(bySerial: Int)
        /// The registry does not know it.
        case unknown
        /// The registry could not be read (why): the answer is not known.
        case unreadable(String)
    }

    /// The keys to trust.
    public var trust: TrustList
    /// Where status bits come from: published lists, or a registry at hand.
    public var status: any StatusSource
    /// Asks a registry about a credential hash; `nil` when no registry is at hand.
    public var registry: (@Sendable (SHA256.Digest) -> RegistryAnswer)?
    /// Checks the credential's log inclusion; `nil` when no proof bundle or registry is at hand.
    public var log: (@Sendable (SHA256.Digest) -> FailureReason?)?

    /// Creates a verifier.
    public init(
        trust: TrustList, status: any StatusSource,
        registry: (@Sendable (SHA256.Digest) -> RegistryAnswer)? = nil, log: (@Sendable (SHA256.Digest) -> FailureReason?)? = nil
    ) {
        self.trust = trust
        self.status = status
        self.registry = registry
        self.log = log
    }

    /// Verifies a credential's bytes as of `time` (status lists must be fresh at `now`).
    public func verify(_ bytes: [UInt8], at time: Timestamp, now: Timestamp) -> VerificationReport {
        var report = VerificationReport()
        let later = ["proof", "issuerKey", "validity", "status.revocation", "status.suspension", "registry", "log"]
        let document: JSONObject
        do {
            guard case .object(let object) = try JSONValue.parse(bytes) else {
                throw FailureReason(.malformed, "a credential is a JSON object")
            }
            document = object
            report.summary = try Self.summary(of: document)
            report.pass("syntax", "well-formed VC 2.0 JSON, \(bytes.count) bytes")
        } catch let error as JSONError where error.path == nil {
            report.fail("syntax", FailureReason(.parsing, error.description))
            for name in later { report.skip(name, "the credential could not be read") }
            return report
        } catch {
            report.fail("syntax", error as? FailureReason ?? FailureReason(.malformed, "not a QualificationCredential: \(error)"))
            for name in later { report.skip(name, "the credential could not be read") }
            return report
        }
        let hash = IssuedCredential(document: document).hash
        // did:key names its own key; whether that key is trusted is the issuerKey check's question.
        let outcome = DataIntegrity.verify(document) { method in try? Ed25519.PublicKey(didKey: method) }
        guard case .verified(let method, let created) = outcome else {
            if case .failed(let reason) = outcome { report.fail("proof", reason) }
            for name in later.dropFirst() { report.skip(name, "the proof did not verify") }
            return report
        }
        report.pass("proof", "eddsa-jcs-2022 signature by \(method)")
        guard let issuer = checkIssuer(document, method: method, created: created, report: &report) else {
            for name in later.dropFirst(2) { report.skip(name, "the issuer is not trusted") }
            return report
        }
        checkValidity(document, at: time, report: &report)
        for purpose in StatusPurpose.allCases {
            checkStatus(document, purpose: purpose, authority: issuer, now: now, report: &report)
        }
        if let registry {
            switch registry(hash) {
            case .current: report.pass("registry", "the current certificate of its registration")
            case .superseded(let serial):
                report.fail("registry", FailureReason(.superseded, "replaced by certificate \(serial); this one was reissued or changed"))
            case .unknown: report.fail("registry", FailureReason(.unknownCredential, "the registry does not know this credential"))
            case .unreadable(let why): report.fail("registry", FailureReason(.statusRetrieval, "the registry could not be read: \(why)"))
            }
        } else {
            report.skip("registry", "no registry at hand")
        }
        if let log {
            if let failure = log(hash) { report.fail("log", failure) } else { report.pass("log", "included in the signed log") }
        } else {
            report.skip("log", "no proof bundle or registry at hand")
        }
        return report
    }

    /// The issuerKey check: the key is in the trust list, was valid when the proof was made, is the
    /// credential's issuer, and its authority registers the qualification.
    private func checkIssuer(_ document: JSONObject, method: String, created: String, report: inout VerificationReport)
        -> TrustList.Authority?
    {
        let authority: TrustList.Authority
        switch trust.signer(method, created: created) {
        case .failure(let reason):
            report.fail("issuerKey", reason)
            return nil
        case .success(let signer):
            authority = signer.authority
        }
        let issuer = Self.issuerID(document)
        guard issuer == TrustList.did(of: method) else {
            report.fail("issuerKey", FailureReason(.issuerMismatch, "the credential names issuer \(issuer ?? "none"), not the signing key"))
            return nil
        }
        let code = report.summary?.qualificationCode ?? ""
        guard authority.qualifications.contains(QualificationCode(rawValue: code)) else {
            report.fail("issuerKey", FailureReason(.authorityNotEntitled, "\(authority.name) does not register \(code)"))
            return nil
        }
        report.pass("issuerKey", "\(authority.name) (\(authority.id)), key valid at \(created), registers \(code)")
        return authority
    }

    /// A document's `issuer`: its `id`, or the string itself (VC 2.0 §4.7 allows either).
    static func issuerID(_ document: JSONObject) -> String? {
        document["issuer"]?.objectValue?["id"]?.stringValue ?? document["issuer"]?.stringValue
    }

    private func checkValidity(_ document: JSONObject, at time: Timestamp, report: inout VerificationReport) {
        guard let from = document["validFrom"]?.stringValue.flatMap({ try? Timestamp(iso: $0) }) else {
            report.fail("validity", FailureReason(.malformed, "validFrom is missing or not a UTC time"))
            return
        }
        guard time >= from else {
            report.fail("validity", FailureReason(.notYetValid, "valid from \(from.iso), not yet at \(time.iso)"))
            return
        }
        if let untilText = document["validUntil"]?.stringValue {
            guard let until = try? Timestamp(iso: untilText) else {
                report.fail("validity", FailureReason(.malformed, "validUntil is not a UTC time"))
                return
            }
            guard time <= until else {
                report.fail("validity", FailureReason(.expired, "expired at \(until.iso) (\(until.dateInJapan.japanese))"))
                return
            }
            report.pass("validity", "valid from \(from.iso) until \(until.iso)")
        } else {
            report.pass("validity", "valid from \(from.iso), no expiry")
        }
    }

    private func checkStatus(
        _ document: JSONObject, purpose: StatusPurpose, authority: TrustList.Authority, now: Timestamp,
        report: inout VerificationReport
    ) {
        let name = "status.\(purpose.rawValue)"
        let entries: [JSONValue] =
            switch document["credentialStatus"] {
            case .array(let items)?: items
            case let single?: [single]
            case nil: []
            }
        guard let entry = entries.compactMap(\.objectValue).first(where: { $0["statusPurpose"]?.stringValue == purpose.rawValue }),
            entry["type"]?.stringValue == "BitstringStatusListEntry", let url = entry["statusListCredential"]?.stringValue,
            let indexText = entry["statusListIndex"]?.stringValue, let index = Int(indexText), index >= 0,
            String(index) == indexText
        else {
            report.fail(name, FailureReason(.malformed, "no well-formed \(purpose.rawValue) BitstringStatusListEntry"))
            return
        }
        switch status.bit(listURL: url, index: index, purpose: purpose, authority: authority, trust: trust, now: now) {
        case .failure(let reason):
            report.fail(name, reason)
        case .success(let bit) where bit.isSet:
            let code: FailureReason.Code = purpose == .revocation ? .revoked : .suspended
            report.fail(name, FailureReason(code, "the \(purpose.rawValue) bit \(index) of \(url) is set, as of \(bit.asOf)"))
        case .success(let bit):
            report.pass(name, "bit \(index) of \(url) is clear, as of \(bit.asOf)")
        }
    }

    /// The fields a verdict line shows.
    static func summary(of document: JSONObject) throws -> CredentialSummary {
        let reader = JSONReader(.object(document))
        let types = try reader["type"].array().map { try $0.string() }
        guard try reader["@context"][0].string() == QualificationCredential.baseContext, types.contains("VerifiableCredential"),
            types.contains(QualificationCredential.type)
        else { throw FailureReason(.malformed, "not a VC 2.0 QualificationCredential") }
        let subject = reader["credentialSubject"]
        let qualification = subject["qualification"]
        return CredentialSummary(
            holderName: try subject["name"].string(), qualificationCode: try qualification["code"].string(),
            qualificationName: try qualification["name"].string(), register: try qualification["register"].string(),
            registrationNumber: try qualification["registrationNumber"].string(),
            issuerName: try reader["issuer"]["name"].string(), validFrom: try reader["validFrom"].string(),
            validUntil: try reader["validUntil"].optionalString(), certificateSerial: try qualification["certificateSerial"].optionalInt())
    }
}
